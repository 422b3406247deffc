import { contractSuite } from './suite.js';
import { expressTarget } from './targets.js';

contractSuite(expressTarget());

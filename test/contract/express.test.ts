import { contractSuite } from './suite.js';
import { expressProcessTarget } from './targets.js';

contractSuite(expressProcessTarget());

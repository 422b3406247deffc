import { contractSuite } from './suite.js';
import { mswTarget } from './targets.js';

contractSuite(mswTarget());

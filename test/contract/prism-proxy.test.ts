import { contractSuite } from './suite.js';
import { prismProxyTarget } from './targets.js';

contractSuite(prismProxyTarget());

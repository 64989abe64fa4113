import { describeFixture } from './suite';

describeFixture('contenteditable');

import { CrosstalkError } from '@crosstalk/core';
import type { CommandHandler } from '../handler.js';

const handler: CommandHandler = async () => {
  throw new CrosstalkError('INTERNAL', 'this command is not available yet');
};
export default handler;

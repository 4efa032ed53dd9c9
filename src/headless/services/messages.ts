/** The 'messages' service over the active cluster link. (Being written: every member answers UNKNOWN_METHOD.) */
import type { EddyServices } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import type { LinkProvider } from './link.js';

export function messagesService(links: LinkProvider): EddyServices['messages'] {
  void links;
  return new Proxy({} as EddyServices['messages'], {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  });
}

/** The 'groups' service over the active cluster link. (Being written: every member answers UNKNOWN_METHOD.) */
import type { EddyServices } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import type { LinkProvider } from './link.js';

export function groupsService(links: LinkProvider): EddyServices['groups'] {
  void links;
  return new Proxy({} as EddyServices['groups'], {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  });
}

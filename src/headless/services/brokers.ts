/** The 'brokers' service over the active cluster link. (Being written: every member answers UNKNOWN_METHOD.) */
import type { EddyServices } from '../../shared/contract/index.js';
import { EddyError } from '../../shared/errors.js';
import type { LinkProvider } from './link.js';

export function brokersService(links: LinkProvider): EddyServices['brokers'] {
  void links;
  return new Proxy({} as EddyServices['brokers'], {
    get: () => () => {
      throw new EddyError('UNKNOWN_METHOD');
    },
  });
}

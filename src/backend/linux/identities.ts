/** Namespace identities and pins: `info`, `same`, `pin`. */
import { OpError } from '../backend.js';
import type { Handlers } from '../ops.js';
import { describeRef, nsFile, type LinuxContext } from './context.js';
import { attempt, errorCode } from './errors.js';
import { nsIdentities, sameNamespace } from './identity.js';
import { close, MS_BIND, mount, O_CREAT, O_EXCL, O_RDONLY, open, unlink } from './libc.js';
import { pinNetns } from './netns.js';

const q = JSON.stringify;

export function identityHandlers(x: LinuxContext): Pick<Handlers, 'info' | 'same' | 'pin'> {
  return {
    info: async ({ ref }) => x.out(nsIdentities(ref).map(([type, id]) => `${type.padEnd(7)}${id}`).join('\n')),

    same: async ({ a, b, type }) => {
      const differ = sameNamespace(a, b, type);
      if (differ.length > 0) {
        throw new OpError(`${describeRef(a)} and ${describeRef(b)} are in different ${differ.join(', ')} namespaces`);
      }
      x.out(`${describeRef(a)} and ${describeRef(b)} share their ${type ?? 'namespaces'}`);
    },

    pin: async ({ ref, target }) => {
      const source = nsFile(ref);
      if (target.kind === 'name') {
        attempt(
          { what: `pin ${describeRef(ref)} as ${q(target.name)}`, codes: { EEXIST: `namespace ${q(target.name)} already exists`, ENOENT: `${describeRef(ref)} does not exist` } },
          () => pinNetns(target.name, source),
        );
        return undefined;
      }
      return attempt({ what: `pin ${describeRef(ref)} at ${target.path}`, codes: { ENOENT: `${describeRef(ref)} or ${target.path} does not exist` } }, () => {
        // as with `touch FILE; mount --bind …`, the file may be there already: then it stays at teardown
        let madeFile = true;
        try {
          close(open(target.path, O_RDONLY | O_CREAT | O_EXCL, 0o644));
        } catch (e) {
          if (errorCode(e) !== 'EEXIST') throw e;
          madeFile = false;
        }
        try {
          mount(source, target.path, 'none', MS_BIND);
        } catch (e) {
          if (madeFile) unlink(target.path);
          throw e;
        }
        return { madeFile };
      });
    },
  };
}


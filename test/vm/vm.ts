/**
 * Tests of the VM tier (test/vm/run.sh) run inside the VM only, where guest.sh sets NSH_VM=1 and
 * NSH_VM_KERNEL to the release of the kernel it booted. Anywhere else (the quick suite, a plain
 * `mocha` run) they are skipped with a message saying how to run them.
 */
import { describeKernel } from '../backend-linux/kernel-sandbox.js';

export const IN_VM = process.env['NSH_VM'] === '1';

/** describe() for tests that need the VM's kernel; inside it they also get the sandbox guard. */
export function describeVm(title: string, fn: (this: Mocha.Suite) => void): void {
  if (IN_VM) {
    describeKernel(title, fn);
  } else {
    describe(title, function () {
      it('is skipped: it runs in the VM, with `npm run test:vm`', function () {
        this.skip();
      });
    });
  }
}

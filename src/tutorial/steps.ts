/**
 * The steps of `nsh tutorial`: the classic network-namespace walk, one example script each
 * (examples/walkthrough/FILE). A script carries its step's title, explanation, classic commands
 * and statements (script.ts reads them); here is what a step changes outside namespaces of its
 * own, for `nsh tutorial --host` to say before it starts.
 */
export interface Step {
  /** The example script, in examples/walkthrough. */
  readonly file: string;
  /** What the step changes outside namespaces of its own, when it runs on the machine itself (--host). */
  readonly host?: string;
}

export const STEPS: readonly Step[] = [
  { file: '01-namespaces.ns' },
  { file: '02-netns-add-del.ns' },
  { file: '03-loopback.ns' },
  { file: '04-veth.ns', host: "adds veth0 with 10.1.1.2/24 to the host's network namespace" },
  {
    file: '05-move-to-pid1.ns',
    host: "adds veth0 (10.1.1.2/24) to the host's network namespace, and moves veth1 into the network namespace of PID 1, the machine's own",
  },
  { file: '06-proc-pid-ns.ns' },
  { file: '07-pin.ns', host: 'bind-mounts namespace files at /run/nsh-walkthrough-net and /run/nsh-walkthrough-kept' },
  { file: '08-setns.ns', host: "adds veth0 with 10.1.1.2/24 to the host's network namespace, and bind-mounts /run/nsh-walkthrough-netns1" },
  { file: '09-clone.ns', host: "adds veth0 with 169.254.1.1/30 to the host's network namespace" },
];

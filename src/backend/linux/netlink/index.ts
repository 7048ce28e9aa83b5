/** rtnetlink in TypeScript: the public API of the netlink layer. */
export * from './constants.js';
export { Attr, AttrMap, attrsSize, bytes, findU32, headed, nested, nlaAlign, s32, serializeAttrs, str, strNoNul, u16, u32, u8 } from './attr.js';
export * from './headers.js';
export {
  type NlError, type NlMessage, type NlRequest, decodeMessages, encodeMessage, messageAttrs, messageU32, nlmsgAlign, parseError,
} from './message.js';
export * from './requests/common.js';
export * from './requests/links.js';
export * from './requests/link-kinds.js';
export * from './requests/addresses.js';
export * from './requests/routes.js';
export * from './requests/bridge-vlan.js';
export * from './requests/nsid.js';
export * from './requests/qdisc.js';
export * from './constants-tc.js';
export { type QdiscInfo, decodeQdisc, rootQdiscs } from './qdisc.js';
export { type Psched, parsePsched, psched } from './psched.js';
export * from './decode.js';
export { type BatchResult, NetlinkError, RtnlSocket } from './socket.js';
export * from './query.js';
export * from './diag.js';
export * from './monitor.js';

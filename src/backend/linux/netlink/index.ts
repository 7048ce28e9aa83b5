/** rtnetlink in TypeScript: the public API of the netlink layer. */
export * from './constants.js';
export { Attr, AttrMap, attrsSize, bytes, headed, nested, nlaAlign, s32, serializeAttrs, str, strNoNul, u16, u32, u8 } from './attr.js';
export * from './headers.js';
export {
  type NlError, type NlMessage, type NlRequest, decodeMessages, encodeMessage, messageAttrs, nlmsgAlign, parseError,
} from './message.js';
export * from './requests.js';
export * from './decode.js';
export { type BatchResult, NetlinkError, RtnlSocket } from './socket.js';
export * from './query.js';

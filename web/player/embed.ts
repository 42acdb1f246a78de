/**
 * The player bundle: defines `<hybrid-live-chat>` and exports the SDK, so a
 * host page needs one module for either.
 */
import { defineHybridLiveChat } from './element.js';

export { HybridLiveChatElement, defineHybridLiveChat } from './element.js';
export { createChatClient, ChatClientError, COMMENT_STYLES, commentStyle } from '../../client/index.js';

defineHybridLiveChat();

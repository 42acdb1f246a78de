/**
 * The GraphQL subscription documents players send (graphql/schema.graphql):
 * handed out by the connection-info endpoint and used by the tests, so both
 * speak exactly the same text.
 */

/** A room's events; variables `{ roomId }`. */
export const ROOM_EVENT = /* GraphQL */ `
  subscription OnRoomEvent($roomId: ID!) {
    onRoomEvent(roomId: $roomId) {
      id
      roomId
      kind
      time
      payload
    }
  }
`;

/** Events to every room (roomId "*"): global notices. No variables. */
export const GLOBAL_EVENT = /* GraphQL */ `
  subscription OnGlobalEvent {
    onGlobalEvent {
      id
      roomId
      kind
      time
      payload
    }
  }
`;

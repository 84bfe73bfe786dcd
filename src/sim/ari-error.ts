/**
 * An ARI error answer: status and body exactly as Asterisk 22 sends them
 * ({"message": …} for most, {"error": "Allocation failed"} for originate, trace 06).
 */
export class AriError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error ?? status));
  }
}

export const channelNotFound = (): AriError => new AriError(404, { message: 'Channel not found' });
export const bridgeNotFound = (): AriError => new AriError(404, { message: 'Bridge not found' });
export const playbackNotFound = (): AriError => new AriError(404, { message: 'Playback not found' });
/** Channel operations on a channel that exists but is not in Stasis (ari_channels.c answers 409). */
export const notInStasis = (status = 409): AriError => new AriError(status, { message: 'Channel not in Stasis application' });
export const badRequest = (message: string): AriError => new AriError(400, { message });

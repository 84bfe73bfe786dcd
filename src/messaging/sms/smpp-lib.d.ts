/**
 * The parts of the untyped `smpp` package (0.5.1) Bereik uses: its PDU codec and its
 * tables of commands, TLVs and status codes. Its Session/Server are not used (see
 * docs/messaging-smpp.md for why).
 */
declare module 'smpp' {
  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    command: string;
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    toBuffer(): Buffer;
    fromBuffer(buffer: Buffer): void;
    static maxLength: number;
  }
  export const errors: Record<string, number>;
  export const commands: Record<string, { id: number; params?: Record<string, unknown> }>;
  export const commandsById: Record<number, { command: string }>;
  const smpp: { PDU: typeof PDU; errors: typeof errors; commands: typeof commands; commandsById: typeof commandsById };
  export default smpp;
}

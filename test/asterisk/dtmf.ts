/**
 * RFC 4733 key presses for SIPp's play_pcap_audio, from the recordings SIPp ships in
 * /usr/share/sip-tester. Asterisk takes a second play of the same pcap within one call for
 * a retransmission of the first key (same RTP sequence numbers and timestamp), and drops
 * a key whose timestamp is behind the last one: the i-th press of a call gets a copy with
 * both shifted i steps (shared/asterisk/README.md).
 */
import { readFileSync } from 'node:fs';

const DIR = '/usr/share/sip-tester';
const NAMES: Record<string, string> = { '#': 'pound', '*': 'star' };
/** pcap global header; each record: 16-byte header, then Ethernet (14) + IPv4 (20) + UDP (8) + RTP. */
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const RTP_AT = 14 + 20 + 8;

/** The pcap of one key press; copy n > 0 is shifted by n × 1000 sequence numbers and n × 10 s of timestamp. */
export function dtmfPcap(digit: string, copy = 0): Buffer {
  if (!/^[0-9*#]$/.test(digit)) throw new Error(`dtmfPcap: "${digit}" is not a DTMF key (0-9, *, #)`);
  const pcap = Buffer.from(readFileSync(`${DIR}/dtmf_2833_${NAMES[digit] ?? digit}.pcap`));
  if (pcap.readUInt32LE(0) !== 0xa1b2c3d4 || pcap.readUInt32LE(20) !== 1) throw new Error(`dtmfPcap: ${digit}: expected a little-endian Ethernet pcap`);
  for (let at = GLOBAL_HEADER; at + RECORD_HEADER <= pcap.length; ) {
    const len = pcap.readUInt32LE(at + 8);
    const rtp = at + RECORD_HEADER + RTP_AT;
    pcap.writeUInt16BE((pcap.readUInt16BE(rtp + 2) + copy * 1000) & 0xffff, rtp + 2);
    pcap.writeUInt32BE((pcap.readUInt32BE(rtp + 4) + copy * 80_000) >>> 0, rtp + 4);
    at += RECORD_HEADER + len;
  }
  return pcap;
}

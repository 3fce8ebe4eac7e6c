'use strict';
// The LZ4 frame format (the "lz4" HTTP content encoding of ClickHouse and its Java client): decoding of
// compressed and uncompressed blocks, and encoding with uncompressed blocks, which every decoder accepts.

const MAGIC = 0x184d2204;
const PRIME1 = 2654435761;
const PRIME2 = 2246822519;
const PRIME3 = 3266489917;
const PRIME4 = 668265263;
const PRIME5 = 374761393;
const MAX_BLOCK = 4 * 1024 * 1024;

function rotl(x, r) {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function mul(a, b) {
  return Math.imul(a, b) >>> 0;
}

// xxHash32, for the frame header checksum.
function xxh32(buf, seed = 0) {
  const read32 = (p) => (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0;
  const round = (acc, input) => mul(rotl((acc + mul(input, PRIME2)) >>> 0, 13), PRIME1);
  const length = buf.length;
  let i = 0;
  let h;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) >>> 0;
    let v2 = (seed + PRIME2) >>> 0;
    let v3 = seed >>> 0;
    let v4 = (seed - PRIME1) >>> 0;
    while (i <= length - 16) {
      v1 = round(v1, read32(i));
      v2 = round(v2, read32(i + 4));
      v3 = round(v3, read32(i + 8));
      v4 = round(v4, read32(i + 12));
      i += 16;
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = (seed + PRIME5) >>> 0;
  }
  h = (h + length) >>> 0;
  while (i + 4 <= length) {
    h = mul(rotl((h + mul(read32(i), PRIME3)) >>> 0, 17), PRIME4);
    i += 4;
  }
  while (i < length) {
    h = mul(rotl((h + mul(buf[i], PRIME5)) >>> 0, 11), PRIME1);
    i++;
  }
  h ^= h >>> 15;
  h = mul(h, PRIME2);
  h ^= h >>> 13;
  h = mul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}

function decode(frame) {
  if (frame.length < 7 || frame.readUInt32LE(0) !== MAGIC) {
    throw new Error('not an LZ4 frame');
  }
  const flags = frame[4];
  if ((flags >> 6) !== 1) {
    throw new Error('unsupported LZ4 frame version');
  }
  let p = 6;
  if (flags & 0x08) {
    p += 8; // content size
  }
  if (flags & 0x01) {
    p += 4; // dictionary id
  }
  const headerChecksum = frame[p];
  if (((xxh32(frame.subarray(4, p)) >>> 8) & 0xff) !== headerChecksum) {
    throw new Error('LZ4 frame header checksum mismatch');
  }
  p += 1;
  let out = Buffer.alloc(Math.max(1024, frame.length * 4));
  let size = 0;
  const ensure = (more) => {
    if (size + more > out.length) {
      const bigger = Buffer.alloc(Math.max(out.length * 2, size + more));
      out.copy(bigger, 0, 0, size);
      out = bigger;
    }
  };
  while (true) {
    if (p + 4 > frame.length) {
      throw new Error('truncated LZ4 frame');
    }
    const word = frame.readUInt32LE(p);
    p += 4;
    if (word === 0) {
      break;
    }
    const length = word & 0x7fffffff;
    const end = p + length;
    if (end > frame.length) {
      throw new Error('truncated LZ4 block');
    }
    if (word & 0x80000000) {
      ensure(length);
      frame.copy(out, size, p, end);
      size += length;
      p = end;
    } else {
      while (p < end) {
        const token = frame[p++];
        let literals = token >>> 4;
        if (literals === 15) {
          let b;
          do {
            b = frame[p++];
            literals += b;
          } while (b === 255);
        }
        ensure(literals);
        frame.copy(out, size, p, p + literals);
        size += literals;
        p += literals;
        if (p >= end) {
          break; // the last sequence has literals only
        }
        const offset = frame[p] | (frame[p + 1] << 8);
        p += 2;
        if (offset === 0 || offset > size) {
          throw new Error('bad LZ4 match offset');
        }
        let match = (token & 0x0f) + 4;
        if ((token & 0x0f) === 15) {
          let b;
          do {
            b = frame[p++];
            match += b;
          } while (b === 255);
        }
        ensure(match);
        for (let k = 0; k < match; k++) {
          out[size] = out[size - offset];
          size++;
        }
      }
    }
    if (flags & 0x10) {
      p += 4; // block checksum
    }
  }
  return out.subarray(0, size);
}

function encode(data) {
  const descriptor = Buffer.from([0x60, 0x70]); // version 1, independent blocks; 4 MB blocks
  const parts = [Buffer.from([0x04, 0x22, 0x4d, 0x18]), descriptor, Buffer.from([(xxh32(descriptor) >>> 8) & 0xff])];
  for (let offset = 0; offset < data.length; offset += MAX_BLOCK) {
    const block = data.subarray(offset, Math.min(data.length, offset + MAX_BLOCK));
    const header = Buffer.alloc(4);
    header.writeUInt32LE((block.length | 0x80000000) >>> 0);
    parts.push(header, block);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

module.exports = { decode, encode, xxh32 };

import { PQ_CENTROIDS } from '../shared/productQuantizer';
import { QUANT_SCAN_KERNEL_BASE64 } from './quantScanKernel.wasm';

interface KernelExports {
  memory: WebAssembly.Memory;
  int8Dots(codes: number, query: number, rowBytes: number, count: number, out: number): void;
  hamming(codes: number, query: number, rowBytes: number, count: number, out: number): void;
  adcScores(codes: number, table: number, stride: number, count: number, out: number): void;
}

const PAGE = 65536;
let compiled: WebAssembly.Module | null = null;

function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(QUANT_SCAN_KERNEL_BASE64), (c) => c.charCodeAt(0)));
  return compiled;
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** A fresh kernel instance whose memory holds at least `bytes`. */
function kernelWithMemory(bytes: number): KernelExports {
  const kernel = new WebAssembly.Instance(kernelModule()).exports as unknown as KernelExports;
  const memory = kernel.memory;
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  return kernel;
}

/**
 * Codes of `count` rows of `rowBytes` bytes inside one instance of the quantized scan kernel's
 * memory (quantScanKernel.wat), with room for a query row and one i32 result per row: the codes
 * are copied in once, and each query writes its row and reads the results in place.
 */
export class CodeScanner {
  readonly codes: Uint8Array;
  private readonly query: Uint8Array;
  private readonly out: Int32Array;
  private readonly kernel: KernelExports;

  constructor(
    readonly count: number,
    readonly rowBytes: number,
  ) {
    if (rowBytes % 16 !== 0 && rowBytes % 8 !== 0) throw new Error(`rows of ${rowBytes} bytes: a multiple of 8 needed`);
    const codeBytes = align16(count * rowBytes);
    const queryBytes = align16(rowBytes);
    this.kernel = kernelWithMemory(codeBytes + queryBytes + count * 4);
    const memory = this.kernel.memory;
    this.codes = new Uint8Array(memory.buffer, 0, count * rowBytes);
    this.query = new Uint8Array(memory.buffer, codeBytes, rowBytes);
    this.out = new Int32Array(memory.buffer, codeBytes + queryBytes, count);
  }

  static of(codes: Uint8Array | Int8Array, rowBytes: number): CodeScanner {
    const scanner = new CodeScanner(codes.length / rowBytes, rowBytes);
    scanner.codes.set(new Uint8Array(codes.buffer, codes.byteOffset, codes.byteLength));
    return scanner;
  }

  /** Σ codes[row]ᵢ · query[i] over signed bytes, for every row; rowBytes must be a multiple of 16. The view is overwritten by the next scan. */
  int8Dots(query: Int8Array): Int32Array {
    if (this.rowBytes % 16 !== 0) throw new Error('int8 rows must be a multiple of 16 bytes');
    this.query.set(new Uint8Array(query.buffer, query.byteOffset, this.rowBytes));
    this.kernel.int8Dots(this.codes.byteOffset, this.query.byteOffset, this.rowBytes, this.count, this.out.byteOffset);
    return this.out;
  }

  /** Hamming distance of every row to `query`. The view is overwritten by the next scan. */
  hamming(query: Uint8Array): Int32Array {
    this.query.set(query.subarray(0, this.rowBytes));
    this.kernel.hamming(this.codes.byteOffset, this.query.byteOffset, this.rowBytes, this.count, this.out.byteOffset);
    return this.out;
  }
}

/**
 * PQ codes (count rows of m bytes) inside one kernel instance for the ADC scan (`adcScores` in
 * quantScanKernel.wat): rows padded to a multiple of four bytes with code 0, whose table rows
 * stay zero, so the padding adds nothing; each query writes its m × 256 table and reads one
 * float32 score per row in place.
 */
export class AdcScanner {
  readonly count: number;
  readonly stride: number;
  private readonly table: Float32Array;
  private readonly out: Float32Array;
  private readonly kernel: KernelExports;

  constructor(
    codes: Uint8Array,
    readonly m: number,
  ) {
    this.count = codes.length / m;
    this.stride = Math.ceil(m / 4) * 4;
    const codeBytes = align16(this.count * this.stride);
    const tableBytes = this.stride * PQ_CENTROIDS * 4;
    this.kernel = kernelWithMemory(codeBytes + tableBytes + this.count * 4);
    const buffer = this.kernel.memory.buffer;
    const padded = new Uint8Array(buffer, 0, this.count * this.stride);
    for (let row = 0; row < this.count; row++) padded.set(codes.subarray(row * m, (row + 1) * m), row * this.stride);
    this.table = new Float32Array(buffer, codeBytes, this.stride * PQ_CENTROIDS);
    this.out = new Float32Array(buffer, codeBytes + tableBytes, this.count);
  }

  /** Every row's ADC score from the query's table (m × 256 float32). The view is overwritten by the next scan. */
  scores(table: Float32Array): Float32Array {
    this.useTable(table);
    return this.scan(0, this.count);
  }

  /** Writes the query's table (m × 256 float32) for the scans that follow. */
  useTable(table: Float32Array): void {
    if (table.length !== this.m * PQ_CENTROIDS) throw new Error(`an ADC table of ${this.m} × ${PQ_CENTROIDS} expected`);
    this.table.set(table);
  }

  /** The ADC scores of rows [from, from + count) from the table in use (IVF: one inverted list). */
  scan(from: number, count: number): Float32Array {
    if (from < 0 || count < 0 || from + count > this.count)
      throw new Error(`rows ${from}–${from + count} of ${this.count}`);
    const out = this.out.byteOffset + from * 4;
    this.kernel.adcScores(from * this.stride, this.table.byteOffset, this.stride, count, out);
    return this.out.subarray(from, from + count);
  }
}

/** The plain JavaScript int8 dot products the kernel must equal exactly. */
export function int8DotsReference(codes: Int8Array, query: Int8Array, rowBytes: number): Int32Array {
  const count = codes.length / rowBytes;
  return Int32Array.from({ length: count }, (_, row) => {
    let sum = 0;
    for (let i = 0; i < rowBytes; i++) sum += codes[row * rowBytes + i] * query[i];
    return sum;
  });
}

const popcount8 = (byte: number) => {
  let bits = 0;
  for (let b = byte; b; b >>= 1) bits += b & 1;
  return bits;
};

/** The plain JavaScript Hamming distances the kernel must equal exactly. */
export function hammingReference(codes: Uint8Array, query: Uint8Array, rowBytes: number): Int32Array {
  const count = codes.length / rowBytes;
  return Int32Array.from({ length: count }, (_, row) => {
    let sum = 0;
    for (let i = 0; i < rowBytes; i++) sum += popcount8(codes[row * rowBytes + i] ^ query[i]);
    return sum;
  });
}

import { RingBuffer } from './ring-buffer';

describe(RingBuffer.name, () => {
  it('keeps the last entries in order and counts what it forgot', () => {
    const sut = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i += 1) sut.push(i);
    expect(sut.toArray()).toEqual([3, 4, 5]);
    expect(sut.tail(2)).toEqual([4, 5]);
    expect(sut.tail(10)).toEqual([3, 4, 5]);
    expect(sut.size).toBe(3);
    expect(sut.droppedCount).toBe(2);
  });

  it('returns fewer entries than asked while not full, and nothing after clear', () => {
    const sut = new RingBuffer<string>(500);
    sut.push('a');
    expect(sut.tail(20)).toEqual(['a']);
    sut.clear();
    expect(sut.toArray()).toEqual([]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

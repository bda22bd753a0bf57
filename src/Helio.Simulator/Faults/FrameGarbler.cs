namespace Helio.Simulator.Faults;

/// <summary>
/// Replaces a fraction of the frames a simulated logger sends with the garbage bad links produce: random bytes, the
/// frame with a wrong checksum, or the frame cut short. Deterministic for a seed (in the order frames are sent).
/// Safe to share between connections.
/// </summary>
public sealed class FrameGarbler
{
    private readonly Random random;
    private readonly Lock gate = new();
    private long garbled;

    public FrameGarbler(double rate, int seed)
    {
        if (!(rate is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The garbage rate is a fraction from 0 to 1.");
        }
        Rate = rate;
        random = new Random(seed);
    }

    public double Rate { get; }

    /// <summary>Frames replaced so far.</summary>
    public long Garbled => Interlocked.Read(ref garbled);

    /// <summary>
    /// What to send instead of <paramref name="frame"/>: most of the time the frame itself. <paramref name="checksum"/>
    /// is where the frame carries its checksum, if it has one (V5: <c>^2</c>; Modbus TCP has none).
    /// </summary>
    public byte[] Apply(byte[] frame, Index? checksum)
    {
        if (Rate == 0 || frame.Length < 2)
        {
            return frame;
        }
        lock (gate)
        {
            if (random.NextDouble() >= Rate)
            {
                return frame;
            }
            Interlocked.Increment(ref garbled);
            switch (random.Next(checksum is null ? 2 : 3))
            {
                case 0:
                    var noise = new byte[random.Next(1, frame.Length + 1)];
                    random.NextBytes(noise);
                    return noise;
                case 1:
                    return frame[..random.Next(1, frame.Length)];
                default:
                    var wrong = (byte[])frame.Clone();
                    wrong[checksum!.Value] ^= (byte)random.Next(1, 256);
                    return wrong;
            }
        }
    }
}

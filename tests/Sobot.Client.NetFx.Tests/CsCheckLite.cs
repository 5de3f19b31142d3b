// CsCheck (the property-test library of tests/Sobot.Client.Tests) ships for net8.0 only. This is the part of its
// API the linked tests call, for net472: random samples from a seed, no shrinking. A failing sample is reported
// with its seed and value, so it can be turned into an example test.
namespace CsCheck;

public sealed class Gen<T>
{
    private readonly Func<Random, T> _next;
    public Gen(Func<Random, T> next) => _next = next;
    public T Generate(Random random) => _next(random);
    public Gen<R> Select<R>(Func<T, R> selector) => new(r => selector(_next(r)));
    public GenArray<T> Array => new(this);

    public void Sample(Action<T> assert, long iter = 100, int? seed = null)
    {
        int s = seed ?? Environment.TickCount;
        var random = new Random(s);
        for (long i = 0; i < iter; i++)
        {
            T value = _next(random);
            try { assert(value); }
            catch (Exception e) { throw new Xunit.Sdk.XunitException($"Sample {i} of seed {s} failed: {value}{Environment.NewLine}{e}"); }
        }
    }
}

public sealed class GenArray<T>
{
    private readonly Gen<T> _item;
    public GenArray(Gen<T> item) => _item = item;
    public Gen<T[]> this[int min, int max] => new(r =>
    {
        var items = new T[r.Next(min, max + 1)];
        for (int i = 0; i < items.Length; i++) items[i] = _item.Generate(r);
        return items;
    });
}

public sealed class GenInt
{
    public Gen<int> this[int min, int max] => new(r => (int)(min + (long)(r.NextDouble() * ((long)max - min + 1))));
}

public sealed class GenChar
{
    public Gen<char> this[string chars] => new(r => chars[r.Next(chars.Length)]);
}

public sealed class GenString
{
    private static readonly Gen<char> AnyChar = new(r => r.Next(4) switch
    {
        0 => (char)r.Next(0, 0x80),
        1 => (char)r.Next(0x20, 0x7F),
        _ => (char)r.Next(0, 0x10000),   // lone surrogates included, as CsCheck's do
    });

    public Gen<string> this[Gen<char> chars, int min, int max] => new(r =>
    {
        var c = new char[r.Next(min, max + 1)];
        for (int i = 0; i < c.Length; i++) c[i] = chars.Generate(r);
        return new string(c);
    });

    public static implicit operator Gen<string>(GenString _) => new GenString()[AnyChar, 0, 20];
    public Gen<R> Select<R>(Func<string, R> selector) => ((Gen<string>)this).Select(selector);
}

public static class Gen
{
    public static readonly GenInt Int = new();
    public static readonly GenChar Char = new();
    public static readonly GenString String = new();
    public static readonly Gen<bool> Bool = new(r => r.Next(2) == 1);
    public static readonly Gen<long> Long = new(r => r.Next(8) switch
    {
        0 => long.MinValue,
        1 => long.MaxValue,
        2 => 0,
        _ => (long)((r.NextDouble() * 2 - 1) * long.MaxValue),
    });
    public static readonly Gen<double> Double = new(r => r.Next(10) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => 0,
        4 => BitConverter.Int64BitsToDouble(((long)r.Next() << 32) | (uint)r.Next()),
        _ => (r.NextDouble() * 2 - 1) * Math.Pow(10, r.Next(-10, 20)),
    });

    public static Gen<T> Const<T>(T value) => new(_ => value);
    public static Gen<T> OneOf<T>(params Gen<T>[] gens) => new(r => gens[r.Next(gens.Length)].Generate(r));
    public static Gen<T> OneOfConst<T>(params T[] values) => new(r => values[r.Next(values.Length)]);

    public static Gen<T> Frequency<T>(params (int Weight, Gen<T> Gen)[] choices)
    {
        int total = choices.Sum(c => c.Weight);
        return new(r =>
        {
            int pick = r.Next(total);
            foreach (var (weight, gen) in choices)
            {
                if (pick < weight) return gen.Generate(r);
                pick -= weight;
            }
            return choices[choices.Length - 1].Gen.Generate(r);
        });
    }

    public static Gen<(T1, T2)> Select<T1, T2>(Gen<T1> a, Gen<T2> b) => new(r => (a.Generate(r), b.Generate(r)));
    public static Gen<R> Select<T1, T2, R>(Gen<T1> a, Gen<T2> b, Func<T1, T2, R> f) => new(r => f(a.Generate(r), b.Generate(r)));
    public static Gen<R> Select<T1, T2, T3, R>(Gen<T1> a, Gen<T2> b, Gen<T3> c, Func<T1, T2, T3, R> f) => new(r => f(a.Generate(r), b.Generate(r), c.Generate(r)));

    public static void Sample<T1, T2>(this Gen<(T1, T2)> gen, Action<T1, T2> assert, long iter = 100, int? seed = null) =>
        gen.Sample(t => assert(t.Item1, t.Item2), iter, seed);
}

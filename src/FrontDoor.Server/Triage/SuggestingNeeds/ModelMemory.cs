using System.Runtime.InteropServices;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// The model's 90 MB of weights live inside the package's assembly, which the runtime maps into memory; reading
/// them once to rewrite them as 8-bit integers leaves every page of that copy counted as the server's own, although
/// the session holds its own (smaller) copy and never reads the assembly's again. Telling the kernel so (the pages
/// are clean and file-backed: they are read back from disk if ever touched) returns that memory. The managed copies
/// made while rewriting the model go with <see cref="Compact"/>.
/// </summary>
internal static partial class ModelMemory
{
    private const int DontNeed = 4;

    /// <param name="model">The model's resource stream, as the assembly hands it out: a view of the mapped image.</param>
    public static void ReleaseModelBytes(Stream model)
    {
        if (OperatingSystem.IsLinux() && model is UnmanagedMemoryStream mapped)
        {
            Forget(mapped);
        }
    }

    /// <summary>
    /// A one-off compacting collection, then the C allocator's trim: with ONNX Runtime's own arena off, inference
    /// buffers come from malloc, and glibc keeps what they freed (about 30 MB after embedding the corpus) until told
    /// to give it back.
    /// </summary>
    public static void Compact()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = Trim(0);
            }
            catch (EntryPointNotFoundException)
            {
                // A C library without malloc_trim (musl): the memory is merely kept, never wrong.
            }
        }
    }

    private static unsafe void Forget(UnmanagedMemoryStream mapped)
    {
        long page = Environment.SystemPageSize;
        // The resource's first byte, wherever the stream's position is: advice past its end would discard pages of the
        // rest of the image, which are not the model's and may not be clean.
        var start = (long)mapped.PositionPointer - mapped.Position;
        var first = (start + page - 1) / page * page;
        var length = (start + mapped.Length - first) / page * page;
        if (length > 0)
        {
            // Advice only: if the kernel declines, the memory is merely counted, never wrong.
            _ = Advise((nint)first, (nuint)length, DontNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int Trim(nuint pad);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}

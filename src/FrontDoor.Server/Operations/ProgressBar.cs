using System.Globalization;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Operations;

/// <summary>
/// A rebuild's progress: a bar redrawn in place on a terminal, or a line per tenth when the output is a file or a
/// pipe (where carriage returns would only make a mess of a log).
/// </summary>
public sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<RebuildProgress>
{
    private const int Width = 30;

    private readonly Lock _gate = new();

    private int _lastTenth = -1;

    /// <summary>Ends the bar's line on a terminal, once the rebuild is done.</summary>
    public void Finish()
    {
        if (interactive)
        {
            output.WriteLine();
        }
    }

    public void Report(RebuildProgress value)
    {
        lock (_gate)
        {
            var fraction = value.Head <= 0 ? 1d : Math.Clamp((double)value.Position / value.Head, 0, 1);
            var text = string.Create(CultureInfo.InvariantCulture, $"projecting the log [{new string('#', (int)(fraction * Width)),-Width}] {fraction,4:P0} {value.Position:N0}/{value.Head:N0}");
            if (interactive)
            {
                output.Write('\r' + text);
                return;
            }

            var tenth = (int)(fraction * 10);
            if (tenth != _lastTenth)
            {
                _lastTenth = tenth;
                output.WriteLine(text);
            }
        }
    }
}

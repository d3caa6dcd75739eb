using System.Globalization;
using FrontDoor.Server.ReadModels.Rebuilding;

namespace FrontDoor.Server.Operations;

/// <summary>
/// A rebuild's progress: a bar redrawn in place on a terminal, or a line per tenth when the output is a file or a
/// pipe (where carriage returns would only make a mess of a log).
/// </summary>
public sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<RebuildProgress>
{
    private const int Width = 30;

    private readonly Lock _gate = new();

    private (RebuildStage Stage, int Tenth) _lastLine = (RebuildStage.Reading, -1);

    public void Report(RebuildProgress value)
    {
        lock (_gate)
        {
            var fraction = value.Total <= 0 ? 1d : Math.Clamp((double)value.Done / value.Total, 0, 1);
            var label = value.Stage switch
            {
                RebuildStage.Reading => "reading the log",
                RebuildStage.Writing => "writing rows  ",
                _ => "swapped in     ",
            };
            var text = string.Create(CultureInfo.InvariantCulture, $"{label} [{new string('#', (int)(fraction * Width)),-Width}] {fraction,4:P0} {value.Done:N0}/{value.Total:N0}");
            if (interactive)
            {
                output.Write('\r' + text);
                if (value.Stage == RebuildStage.Swapped)
                {
                    output.WriteLine();
                }

                return;
            }

            var tenth = (int)(fraction * 10);
            if ((value.Stage, tenth) != _lastLine)
            {
                _lastLine = (value.Stage, tenth);
                output.WriteLine(text);
            }
        }
    }
}

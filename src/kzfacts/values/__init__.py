"""What a written number means: the number reader, exact intervals, units as dimensions."""

"""Write the packaged, validated map (`loader.PACKAGED`) after the map files or the code that reads
them changed: `python -m mappings.freeze`. A test fails while it is out of date."""

from __future__ import annotations

from migrator.output import atomic_write_bytes

from .loader import PACKAGED, packaged_bytes


def main() -> None:
    atomic_write_bytes(PACKAGED, packaged_bytes())
    PACKAGED.chmod(0o644)  # a package file, read by whoever installs it
    print(f"wrote {PACKAGED}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The workspace's rust-version must be the highest one its locked dependencies declare.

Run from the repository root: reads `cargo metadata --locked` and prints the packages
that set the minimum. Exits 1 when Cargo.toml's `rust-version` differs from it, so the
MSRV the README states cannot drift from what the lock file needs. (The machine has one
toolchain, so the check reads the declarations instead of building with an old rustc.)
"""
import json
import subprocess
import sys
import tomllib


def version(text):
    """`1.88` and `1.88.0` are the same version."""
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    with open("Cargo.toml", "rb") as handle:
        declared = tomllib.load(handle)["workspace"]["package"]["rust-version"]
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(metadata["workspace_members"])
    resolved = {node["id"] for node in metadata["resolve"]["nodes"]}
    needs = [
        (version(p["rust_version"]), p["name"], p["version"])
        for p in metadata["packages"]
        if p["id"] in resolved and p["id"] not in members and p.get("rust_version")
    ]
    highest = max(needs)[0]
    setters = sorted(f"{name} {ver}" for v, name, ver in needs if v == highest)
    wanted = ".".join(str(part) for part in (highest[:2] if highest[2] == 0 else highest))
    print(f"rust-version in Cargo.toml: {declared}; highest among locked dependencies: {wanted} ({', '.join(setters[:6])}{', ...' if len(setters) > 6 else ''})")
    if version(declared) != highest:
        print(f"error: set rust-version = \"{wanted}\" in Cargo.toml and the README", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

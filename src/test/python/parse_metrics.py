"""Parses a Prometheus text-format file with prometheus_client's own parser (the reference Python
client) and prints every sample as JSON: {"families": {name: type}, "samples": [[name, labels, value]]}.
A file the parser refuses exits 1 with the parser's error. Used by CheckTest."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    families = {}
    samples = []
    try:
        for fam in text_string_to_metric_families(text):
            families[fam.name] = fam.type
            for s in fam.samples:
                samples.append([s.name, dict(s.labels), s.value])
    except Exception as e:  # the parser raises ValueError and others for malformed input
        print(json.dumps({"error": str(e)}))
        return 1
    print(json.dumps({"families": families, "samples": samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

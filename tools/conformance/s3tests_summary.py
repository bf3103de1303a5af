"""Counts the S3 suite's results (written by s3tests_results.py) overall
and per area. A test's area is its first feature marker, or else the word
after `test_` in its name (bucket, object, multipart...)."""

import collections
import json
import sys

NOT_AREAS = {"fails_on_aws", "fails_on_dbstore", "fails_on_dho", "fails_on_mod_proxy_fcgi", "fails_on_rgw",
             "fails_on_s3", "fails_with_subdomain", "auth_common", "parametrize", "usefixtures"}


def area_of(record):
    for marker in record["markers"]:
        if marker not in NOT_AREAS:
            return marker
    words = record["test"].split("[")[0].split("_")
    return words[1] if len(words) > 1 else "other"


def main(path):
    counts = collections.defaultdict(collections.Counter)
    try:
        with open(path, encoding="utf-8") as results:
            for line in results:
                record = json.loads(line)
                counts[area_of(record)][record["outcome"]] += 1
                counts["all"][record["outcome"]] += 1
    except FileNotFoundError:
        print("no results were recorded")
        return
    print(f"{'area':<28}{'passed':>8}{'failed':>8}{'skipped':>8}")
    for area in sorted(counts, key=lambda a: (a != "all", a)):
        c = counts[area]
        print(f"{area:<28}{c['passed']:>8}{c['failed']:>8}{c['skipped']:>8}")


if __name__ == "__main__":
    main(sys.argv[1])

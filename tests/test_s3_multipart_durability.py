"""Multipart uploads survive kill -9: an upload and the parts it
acknowledged are there after a restart, and the upload completes with the
right bytes."""

import hashlib
import os

PART = 5 * 1024 * 1024


def test_acknowledged_parts_survive_kill_9(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    s3 = box.client("s3")
    s3.create_bucket(Bucket="durable-parts")
    upload_id = s3.create_multipart_upload(Bucket="durable-parts", Key="big.bin")["UploadId"]
    parts = [os.urandom(PART), os.urandom(PART), os.urandom(4321)]
    etags = [s3.upload_part(Bucket="durable-parts", Key="big.bin", UploadId=upload_id, PartNumber=n, Body=body)["ETag"]
             for n, body in enumerate(parts, start=1)]
    box.kill()

    box = start(data_dir=data)
    s3 = box.client("s3")
    listed = s3.list_parts(Bucket="durable-parts", Key="big.bin", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in listed] == [
        (n, etag, len(body)) for n, (etag, body) in enumerate(zip(etags, parts), start=1)]
    uploads = s3.list_multipart_uploads(Bucket="durable-parts")["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("big.bin", upload_id)]
    done = s3.complete_multipart_upload(Bucket="durable-parts", Key="big.bin", UploadId=upload_id, MultipartUpload={
        "Parts": [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags, start=1)]})
    digests = b"".join(hashlib.md5(body).digest() for body in parts)
    assert done["ETag"] == f'"{hashlib.md5(digests).hexdigest()}-3"'
    assert s3.get_object(Bucket="durable-parts", Key="big.bin")["Body"].read() == b"".join(parts)

    # The completed object survives a kill -9 too.
    box.kill()
    box = start(data_dir=data)
    got = box.client("s3").get_object(Bucket="durable-parts", Key="big.bin")
    assert got["ETag"] == done["ETag"]
    assert got["Body"].read() == b"".join(parts)

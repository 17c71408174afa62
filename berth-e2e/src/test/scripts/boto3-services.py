#!/usr/bin/env python3
"""CloudWatch Logs, SSM and Secrets Manager driven by boto3 and its paginators against a running Berth.

Usage: ENDPOINT=https://127.0.0.1:8773 AWS_CA_BUNDLE=./berth-data/ca.pem CREDENTIALS=./berth-data/credentials boto3-services.py
Optional: REGION (us-east-1), NAME (a prefix for what it creates).
"""
import configparser
import os
import random
import sys
import time

import boto3
from botocore.exceptions import ClientError

endpoint = os.environ["ENDPOINT"]
region = os.environ.get("REGION", "us-east-1")
name = os.environ.get("NAME", "boto%06d" % random.randrange(1_000_000))
keys = configparser.ConfigParser()
keys.read(os.environ["CREDENTIALS"])
session = boto3.session.Session(
    aws_access_key_id=keys["default"]["aws_access_key_id"],
    aws_secret_access_key=keys["default"]["aws_secret_access_key"],
    region_name=region)


def client(service):
    return session.client(service, endpoint_url=endpoint)


def expect(what, actual, expected):
    if actual != expected:
        print("FAILED: %s is %r, expected %r" % (what, actual, expected))
        sys.exit(1)
    print("   ok: %s = %r" % (what, actual))


def error_code(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


print("== logs: 12 groups, a stream of 250 events, paginated")
logs = client("logs")
for i in range(12):
    logs.create_log_group(logGroupName="/%s/group-%02d" % (name, i))
groups = [g["logGroupName"]
          for page in logs.get_paginator("describe_log_groups").paginate(
              logGroupNamePrefix="/" + name + "/", PaginationConfig={"PageSize": 5})
          for g in page["logGroups"]]
expect("groups listed through pages of 5", len(groups), 12)
group = "/%s/group-00" % name
logs.create_log_stream(logGroupName=group, logStreamName="app/1")
logs.create_log_stream(logGroupName=group, logStreamName="app/2")
now = int(time.time() * 1000)
for stream in ("app/1", "app/2"):
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": now + i, "message": "%s line %d%s" % (stream, i, " needle" if i % 50 == 0 else "")}
        for i in range(250)])
found = [e["message"]
         for page in logs.get_paginator("filter_log_events").paginate(
             logGroupName=group, filterPattern="needle", PaginationConfig={"PageSize": 3})
         for e in page["events"]]
expect("needles found through pages of 3", len(found), 10)
streams = [s["logStreamName"]
           for page in logs.get_paginator("describe_log_streams").paginate(
               logGroupName=group, orderBy="LastEventTime", descending=True, PaginationConfig={"PageSize": 1})
           for s in page["logStreams"]]
expect("streams, most recent first", sorted(streams), ["app/1", "app/2"])
head = logs.get_log_events(logGroupName=group, logStreamName="app/1", startFromHead=True, limit=100)
expect("first event", head["events"][0]["message"], "app/1 line 0 needle")
expect("missing group", error_code(lambda: logs.get_log_events(logGroupName="/%s/none" % name, logStreamName="x")),
       "ResourceNotFoundException")

print("== ssm: a hierarchy read by path, paginated")
ssm = client("ssm")
for i in range(7):
    ssm.put_parameter(Name="/%s/app/p%d" % (name, i), Value="v%d" % i,
                      Type="SecureString" if i % 2 else "String")
params = {p["Name"]: p["Value"]
          for page in ssm.get_paginator("get_parameters_by_path").paginate(
              Path="/%s/app" % name, WithDecryption=True, PaginationConfig={"PageSize": 2})
          for p in page["Parameters"]}
expect("parameters read by path", len(params), 7)
expect("a SecureString decrypted", params["/%s/app/p1" % name], "v1")
expect("missing parameter", error_code(lambda: ssm.get_parameter(Name="/%s/none" % name)), "ParameterNotFound")

print("== secretsmanager: secrets listed, paginated")
asm = client("secretsmanager")
for i in range(5):
    asm.create_secret(Name="%s/s%d" % (name, i), SecretString='{"n": %d}' % i)
listed = [s["Name"]
          for page in asm.get_paginator("list_secrets").paginate(
              Filters=[{"Key": "name", "Values": [name + "/"]}], PaginationConfig={"PageSize": 2})
          for s in page["SecretList"]]
expect("secrets listed through pages of 2", len(listed), 5)
expect("a secret's value", asm.get_secret_value(SecretId="%s/s3" % name)["SecretString"], '{"n": 3}')
expect("missing secret", error_code(lambda: asm.get_secret_value(SecretId="%s/none" % name)),
       "ResourceNotFoundException")
print("boto3 journey done")

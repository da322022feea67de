"""The engine spoken to by boto3 and the AWS CLI, unchanged but for the endpoint
and the engine's access key; a wrong key or no signature is refused.

Run: STEPDESK_BIN=target/debug/stepdesk python3 -m unittest engine/tests/clients/test_clients.py
"""

import json
import os
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/stepdesk"
KEY_ID = "STEPDESKCLIENTTEST01"
SECRET = "clients/test+secret+of+the+engine+000000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_engine(db, port, signed=True, log=subprocess.DEVNULL):
    """Starts `stepdesk engine` (requiring KEY_ID's signature unless not
    `signed`, its log to `log`) and waits until it accepts connections."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPDESK_ENGINE_")}
    env["RUST_LOG"] = "info"
    if signed:
        env.update(STEPDESK_ENGINE_ACCESS_KEY_ID=KEY_ID, STEPDESK_ENGINE_SECRET_ACCESS_KEY=SECRET)
    proc = subprocess.Popen(
        [os.environ.get("STEPDESK_BIN", "target/debug/stepdesk"), "engine",
         "--listen", f"127.0.0.1:{port}", "--db", db],
        env=env, stdout=log, stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the engine did not start")


def boto_client(endpoint, key_id=KEY_ID, secret=SECRET):
    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key_id, aws_secret_access_key=secret)


def unsigned_post(endpoint, action, body):
    """POSTs an unsigned call, as any local process could; returns (status, body)."""
    request = urllib.request.Request(
        endpoint, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": f"AWSStepFunctions.{action}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class EngineClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        port = free_port()
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.proc = start_engine(os.path.join(cls.dir.name, "engine.db"), port)
        cls.env = cli_env(KEY_ID, SECRET)
        cls.sfn = boto_client(cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.dir.cleanup()

    def cli(self, *args, env=None):
        out = subprocess.run(["aws", "stepfunctions", "--endpoint-url", self.endpoint, *args],
                             env=env or self.env, capture_output=True, text=True, timeout=60)
        return out.returncode, (json.loads(out.stdout) if out.stdout.strip() else None), out.stderr

    def activity_names(self):
        return [a["name"] for a in self.sfn.list_activities()["activities"]]

    def test_boto3_runs_an_activity_workflow_to_success(self):
        act = self.sfn.create_activity(name="BotoWork")["activityArn"]
        definition = {"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": act, "Next": "C"},
                      "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "S"}],
                            "Default": "F"}, "S": {"Type": "Succeed"}, "F": {"Type": "Fail", "Error": "No"}}}
        sm = self.sfn.create_state_machine(name="Boto", definition=json.dumps(definition), roleArn=ROLE)
        ex = self.sfn.start_execution(stateMachineArn=sm["stateMachineArn"], name="b1", input='{"n": 1}')
        task = self.sfn.get_activity_task(activityArn=act, workerName="boto")
        self.assertEqual(json.loads(task["input"]), {"n": 1})
        self.sfn.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
        described = self.sfn.describe_execution(executionArn=ex["executionArn"])
        self.assertEqual(described["status"], "SUCCEEDED")
        history = self.sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
        self.assertEqual(history[-1]["type"], "ExecutionSucceeded")
        pages = self.sfn.get_paginator("get_execution_history").paginate(
            executionArn=ex["executionArn"], PaginationConfig={"PageSize": 2})
        self.assertEqual(sum(len(p["events"]) for p in pages), len(history))

    def test_boto3_sees_aws_error_codes(self):
        with self.assertRaises(ClientError) as e:
            self.sfn.describe_execution(
                executionArn="arn:aws:states:us-east-1:123456789012:execution:Nope:nope")
        self.assertEqual(e.exception.response["Error"]["Code"], "ExecutionDoesNotExist")
        with self.assertRaises(ClientError) as e:
            self.sfn.create_state_machine(name="Bad", roleArn=ROLE,
                                          definition='{"StartAt":"A","States":{"A":{"Type":"Pass"}}}')
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidDefinition")

    def test_the_aws_cli_creates_starts_and_lists(self):
        code, act, err = self.cli("create-activity", "--name", "CliWork")
        self.assertEqual(code, 0, err)
        definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1}, "End": True}}})
        code, sm, err = self.cli("create-state-machine", "--name", "Cli", "--role-arn", ROLE,
                                 "--definition", definition)
        self.assertEqual(code, 0, err)
        code, ex, err = self.cli("start-execution", "--state-machine-arn", sm["stateMachineArn"],
                                 "--name", "c1", "--input", "{}")
        self.assertEqual(code, 0, err)
        code, d, err = self.cli("describe-execution", "--execution-arn", ex["executionArn"])
        self.assertEqual((code, d["status"], json.loads(d["output"])), (0, "SUCCEEDED", {"x": 1}), err)
        code, listed, err = self.cli("list-executions", "--state-machine-arn", sm["stateMachineArn"])
        self.assertEqual([e["name"] for e in listed["executions"]], ["c1"])
        code, _, err = self.cli("describe-activity", "--activity-arn", act["activityArn"] + "x")
        self.assertNotEqual(code, 0)
        self.assertIn("ActivityDoesNotExist", err)

    def test_boto3_with_a_wrong_secret_or_an_unknown_key_is_refused_and_changes_nothing(self):
        for key_id, secret, code in [(KEY_ID, "not-the-secret", "InvalidSignatureException"),
                                     ("AKIAIOSFODNN7EXAMPLE", SECRET, "UnrecognizedClientException")]:
            with self.assertRaises(ClientError) as e:
                boto_client(self.endpoint, key_id, secret).create_activity(name="BotoSneaky")
            self.assertEqual(e.exception.response["Error"]["Code"], code)
            self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertNotIn("BotoSneaky", self.activity_names())

    def test_the_aws_cli_with_a_wrong_secret_or_an_unknown_key_is_refused_and_changes_nothing(self):
        for key_id, secret, code in [(KEY_ID, "not-the-secret", "InvalidSignatureException"),
                                     ("AKIAIOSFODNN7EXAMPLE", SECRET, "UnrecognizedClientException")]:
            rc, _, err = self.cli("create-activity", "--name", "CliSneaky", env=cli_env(key_id, secret))
            self.assertNotEqual(rc, 0)
            self.assertIn(code, err)
        rc, _, err = self.cli("create-activity", "--name", "CliSneaky", "--no-sign-request")
        self.assertNotEqual(rc, 0)
        self.assertIn("MissingAuthenticationTokenException", err)
        self.assertNotIn("CliSneaky", self.activity_names())

    def test_an_unsigned_request_is_refused_with_the_aws_error_shape(self):
        status, body = unsigned_post(self.endpoint, "ListActivities", {})
        self.assertEqual((status, body), (400, {
            "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
            "message": "Missing Authentication Token"}))


def cli_env(key_id, secret):
    return dict(os.environ, AWS_ACCESS_KEY_ID=key_id, AWS_SECRET_ACCESS_KEY=secret,
                AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")


class OpenEngine(unittest.TestCase):
    def test_without_a_key_the_engine_says_it_runs_open_and_takes_anyone(self):
        with tempfile.TemporaryDirectory() as d:
            port, log = free_port(), open(os.path.join(d, "engine.log"), "w+")
            proc = start_engine(os.path.join(d, "engine.db"), port, signed=False, log=log)
            try:
                endpoint = f"http://127.0.0.1:{port}"
                status, _ = unsigned_post(endpoint, "CreateActivity", {"name": "Anyone"})
                self.assertEqual(status, 200)
                names = [a["name"] for a in boto_client(endpoint, "x", "x").list_activities()["activities"]]
                self.assertEqual(names, ["Anyone"])
            finally:
                proc.terminate()
                proc.wait(timeout=10)
                log.seek(0)
                startup = log.read()
                log.close()
            self.assertIn("the engine runs OPEN", startup)


class KillNine(unittest.TestCase):
    def test_a_pending_task_survives_kill_9_of_the_engine(self):
        with tempfile.TemporaryDirectory() as d:
            db, port = os.path.join(d, "engine.db"), free_port()
            endpoint = f"http://127.0.0.1:{port}"
            proc = start_engine(db, port)
            try:
                sfn = boto_client(endpoint)
                act = sfn.create_activity(name="Durable")["activityArn"]
                definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "End": True}}}
                sm = sfn.create_state_machine(name="Durable", definition=json.dumps(definition), roleArn=ROLE)
                ex = sfn.start_execution(stateMachineArn=sm["stateMachineArn"], name="k9", input='{"n": 9}')
                task = sfn.get_activity_task(activityArn=act)
            finally:
                proc.kill()
                proc.wait(timeout=10)
            proc = start_engine(db, port)
            try:
                sfn = boto_client(endpoint)
                sfn.send_task_success(taskToken=task["taskToken"], output='{"survived": true}')
                described = sfn.describe_execution(executionArn=ex["executionArn"])
                self.assertEqual(described["status"], "SUCCEEDED")
                self.assertEqual(json.loads(described["output"]), {"survived": True})
            finally:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    unittest.main()

"""The engine spoken to by boto3 and the AWS CLI, unchanged but for the endpoint.

Run: STEPDESK_BIN=target/debug/stepdesk python3 -m unittest engine/tests/clients/test_clients.py
"""

import json
import os
import socket
import subprocess
import tempfile
import time
import unittest

import boto3
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/stepdesk"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_engine(db, port):
    """Starts `stepdesk engine` and waits until it accepts connections."""
    proc = subprocess.Popen(
        [os.environ.get("STEPDESK_BIN", "target/debug/stepdesk"), "engine",
         "--listen", f"127.0.0.1:{port}", "--db", db],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the engine did not start")


def boto_client(endpoint):
    return boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


class EngineClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        port = free_port()
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.proc = start_engine(os.path.join(cls.dir.name, "engine.db"), port)
        cls.env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                       AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")
        cls.sfn = boto_client(cls.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.dir.cleanup()

    def cli(self, *args):
        out = subprocess.run(["aws", "stepfunctions", "--endpoint-url", self.endpoint, *args],
                             env=self.env, capture_output=True, text=True, timeout=60)
        return out.returncode, (json.loads(out.stdout) if out.stdout.strip() else None), out.stderr

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

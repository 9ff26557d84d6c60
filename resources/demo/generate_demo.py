#!/usr/bin/env python3
"""Generate CI Companion's bundled demo fixture set, or a large benchmark set.

The output is a fixture directory (docs/fixture-format.md) whose builds are in
igor's /ci wire shape, exactly as gate, keel and deck expect them: the demo set
that the window and `ci-companion serve` load out of the box, or, with
--builds N, a set of N builds for load tests.

The same arguments always give the same bytes. Every random choice comes from
one seeded generator, using only random.Random.random(), whose sequence Python
promises to keep across versions, and "now" is --now, never the wall clock.

Layout written into --out:

  manifest.json                           set name, description, SCM hosts
  <projectKey>-<repoSlug>/builds.json     the project's builds, newest first
  <projectKey>-<repoSlug>/logs/<id>.log   the log of each build
  bench-queries.txt                       benchmark sets only, see below
  .generated-files                        what was written, so that a rerun
                                          removes files it no longer writes

--check DIR reads a set back and verifies the wire rules CI Companion keeps
towards gate, keel and deck.
"""

import argparse
import calendar
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urlsplit

DEFAULT_SEED = 20261130
DEFAULT_NOW_MS = 1796040000000  # 2026-11-30T12:00:00Z, so the demo builds look recent
DEFAULT_BIG_LOG_MB = 6
BENCH_PROJECTS = 20
BENCH_QUERIES = 100

CI_BASE = "https://ci.example.com"
REGISTRY = "registry.example.com"
WORKSPACE = "/var/lib/ci/workspace"
OWNED_FILES = ".generated-files"
INT32_MAX = 2**31 - 1

SUCCESS, UNSTABLE, BUILDING = "SUCCESS", "UNSTABLE", "BUILDING"
ABORTED, FAILURE, NOT_BUILT = "ABORTED", "FAILURE", "NOT_BUILT"
RESULTS = (SUCCESS, UNSTABLE, BUILDING, ABORTED, FAILURE, NOT_BUILT)
# Results that keel's completionStatus filter (INCOMPLETE, SUCCEEDED, FAILED, ABORTED) surely
# covers; whether UNSTABLE and NOT_BUILT count as SUCCEEDED or FAILED is up to the server.
QUERYABLE_RESULTS = (SUCCESS, FAILURE, ABORTED, BUILDING)


# --- Deterministic choices ---------------------------------------------------------------------


class Rng:
    """Seeded choices built on random() alone, the one method whose sequence is stable."""

    def __init__(self, seed):
        self._random = random.Random(seed).random

    def below(self, n):
        return int(self._random() * n)

    def between(self, low, high):
        """An integer in [low, high], both ends included."""
        return low + int(self._random() * (high - low + 1))

    def fraction(self):
        return self._random()

    def chance(self, probability):
        return self._random() < probability

    def pick(self, items):
        return items[int(self._random() * len(items))]

    def weighted(self, table):
        """One item of ((item, weight), ...)."""
        point = self._random() * sum(weight for _, weight in table)
        for item, weight in table:
            point -= weight
            if point < 0:
                return item
        return table[-1][0]

    def sha(self):
        return "".join(f"{int(self._random() * (1 << 40)):010x}" for _ in range(4))


def iso_instant(ms):
    """ISO-8601 in UTC the way Jackson writes an Instant: a fraction only when non-zero."""
    seconds, millis = divmod(ms, 1000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{text}.{millis:03d}Z" if millis else f"{text}Z"


# --- SCM hosts and projects -------------------------------------------------------------------


@dataclass(frozen=True)
class ScmHost:
    """An SCM server as igor's /scm/masters names it, with its URL forms."""

    kind: str
    base: str
    commit: str
    pull: str
    pull_ref: str
    remote: str
    merge: str

    def url(self, pattern, project, **values):
        return pattern.format(base=self.base, key=project.key, key_lower=project.key.lower(),
                              slug=project.slug, **values)


SCM_HOSTS = {
    "stash": ScmHost(
        "stash", "https://stash.example.com",
        commit="{base}/projects/{key}/repos/{slug}/commits/{sha}",
        pull="{base}/projects/{key}/repos/{slug}/pull-requests/{number}",
        pull_ref="refs/pull-requests/{number}/from",
        remote="ssh://git@stash.example.com:7999/{key_lower}/{slug}.git",
        merge="Merge pull request #{number} in {key}/{slug} from {branch} to main"),
    "gitHub": ScmHost(
        "gitHub", "https://github.com",
        commit="{base}/{key}/{slug}/commit/{sha}",
        pull="{base}/{key}/{slug}/pull/{number}",
        pull_ref="refs/pull/{number}/head",
        remote="https://github.com/{key}/{slug}.git",
        merge="Merge pull request #{number} from {key}/{branch}"),
    "gitLab": ScmHost(
        "gitLab", "https://gitlab.example.com",
        commit="{base}/{key}/{slug}/-/commit/{sha}",
        pull="{base}/{key}/{slug}/-/merge_requests/{number}",
        pull_ref="refs/merge-requests/{number}/head",
        remote="git@gitlab.example.com:{key}/{slug}.git",
        merge="Merge branch '{branch}' into 'main'"),
}


@dataclass(frozen=True)
class ProjectSpec:
    """One repository and its CI job."""

    key: str
    slug: str
    host: str
    toolchain: str  # gradle, npm or shell: decides the log and the test report
    artifacts: tuple  # deb, jar, docker
    first_version: tuple  # (major, minor) of the oldest build
    topics: tuple  # what the team works on: commit messages, branches, test names
    first_number: int = 1000
    count: int = 0
    tests: int = 200
    colour: float = 0.5  # share of builds whose log carries ANSI colour

    @property
    def folder(self):
        return f"{self.key}-{self.slug}"

    @property
    def job(self):
        return f"{self.key}/{self.slug}"

    def build_id(self, number):
        return f"{self.slug}-{number}"


DEMO_PROJECTS = (
    ProjectSpec("SPKR", "keel-app", "stash", "gradle", ("deb",), (1, 4),
                ("artifact versions", "delivery config", "environment constraints",
                 "resource diffing", "veto rules", "igor client", "verification runner"),
                first_number=1001, count=90, tests=310, colour=0.4),
    ProjectSpec("spinnaker-demo", "deck-ui", "gitHub", "npm", ("docker",), (2, 7),
                ("builds tab", "pipeline graph", "log viewer", "artifact list",
                 "application header", "search results", "ci reader"),
                first_number=1130, count=80, tests=420, colour=0.9),
    ProjectSpec("platform", "orca-svc", "gitLab", "gradle", ("jar", "docker"), (3, 2),
                ("stage execution", "task retries", "queue handler", "pipeline templates",
                 "bake stage", "deploy strategy"),
                first_number=1187, count=70, tests=540, colour=0.6),
    ProjectSpec("SPKR", "clouddriver-lite", "stash", "gradle", ("deb", "jar"), (0, 9),
                ("server group cache", "aws provider", "load balancer sync", "image lookups",
                 "kubernetes agent"),
                first_number=1066, count=60, tests=260, colour=0.3),
    ProjectSpec("platform", "infra-tools", "gitLab", "shell", (), (1, 0),
                ("terraform modules", "backup script", "dns records", "agent images",
                 "cleanup cron"),
                first_number=1000, count=20, tests=48, colour=0.0),
)

# The project that carries the one very large log: verbose integration tests.
BIG_LOG_PROJECT = "orca-svc"

BENCH_EXTRA_PROJECTS = (
    ("SPKR", "echo-notify", "stash", "gradle", ("deb",),
     ("slack notifier", "email templates", "pipeline events")),
    ("SPKR", "fiat-auth", "stash", "gradle", ("deb", "jar"),
     ("role sync", "permission cache", "service accounts")),
    ("SPKR", "kayenta-canary", "stash", "gradle", ("deb", "docker"),
     ("metric queries", "judge scores", "canary configs")),
    ("SPKR", "swabbie-clean", "stash", "gradle", ("jar",),
     ("resource marking", "opt out rules", "deletion queue")),
    ("OPS", "backup-agent", "stash", "shell", (),
     ("snapshot rotation", "restore drill", "retention policy")),
    ("spinnaker-demo", "gate-api", "gitHub", "gradle", ("docker",),
     ("rate limiter", "oauth filter", "session store")),
    ("spinnaker-demo", "front50-store", "gitHub", "gradle", ("jar", "docker"),
     ("pipeline storage", "s3 backend", "version history")),
    ("spinnaker-demo", "settings-ui", "gitHub", "npm", ("docker",),
     ("settings form", "feature flags", "theme picker")),
    ("spinnaker-demo", "docs-site", "gitHub", "npm", ("docker",),
     ("search index", "navigation tree", "code samples")),
    ("spinnaker-demo", "halyard-cfg", "gitHub", "gradle", ("deb",),
     ("config validation", "profile merge", "version lookup")),
    ("platform", "igor-ci", "gitLab", "gradle", ("jar",),
     ("build monitor", "scm masters", "docker monitor")),
    ("platform", "rosco-bake", "gitLab", "gradle", ("deb",),
     ("packer templates", "bake cache", "image names")),
    ("platform", "monitor-agent", "gitLab", "shell", (),
     ("alert rules", "metric scrape", "host inventory")),
    ("platform", "status-page", "gitLab", "npm", ("docker",),
     ("incident banner", "uptime chart", "subscriber list")),
    ("platform", "kork-lib", "gitLab", "gradle", ("jar",),
     ("retry policy", "secret lookup", "metrics registry")),
)

AUTHORS = ("Jane Doe", "John Roe", "Priya Raman", "Mateo García", "Wei Chen", "Amara Okafor",
           "Lukas Becker", "Sofia Rossi", "Kenji Watanabe", "Fatima Haddad", "Olivia Brown",
           "Noah Kim", "Chloé Martin", "Arjun Mehta")
BOT_AUTHOR = "renovate[bot]"

MESSAGE_FORMS = (
    "Fix {topic} when {condition}", "Add {topic} metrics", "Refactor {topic}",
    "Handle {case} in {topic}", "Improve logging around {topic}",
    "Retry {topic} calls on {error}", "Remove dead code from {topic}", "Speed up {topic} tests",
    "Document {topic} settings", "Make {topic} configurable", "Cover {topic} with tests",
    "Guard {topic} against {case}",
)
CONDITIONS = ("the build has no SCM data", "the cache is cold", "the request times out",
              "the branch name has a slash", "two builds share a commit", "the log is empty",
              "the token expires", "a field is null", "the clock skews")
CASES = ("missing SCM data", "a cold cache", "slow responses", "branch names with a slash",
         "builds that share a commit", "empty logs", "expired tokens", "null fields",
         "clock skew")
ERRORS = ("HTTP 503", "connection resets", "timeouts", "HTTP 429")
BRANCH_WORDS = ("retries", "metrics", "cleanup", "paging", "timeouts", "validation", "caching",
                "logging", "refactor", "docs")
DEPENDENCIES = {
    "gradle": (("com.fasterxml.jackson.core:jackson-databind", "2.17.2", "2.18.1"),
               ("org.jetbrains.kotlin:kotlin-stdlib", "1.9.25", "2.0.21"),
               ("io.mockk:mockk", "1.13.12", "1.13.13"),
               ("org.springframework.boot", "3.3.4", "3.3.5")),
    "npm": (("react", "18.2.0", "18.3.1"), ("vite", "5.4.8", "5.4.10"),
            ("typescript", "5.5.4", "5.6.3"), ("@testing-library/react", "16.0.0", "16.0.1")),
    "shell": (("hashicorp/aws", "5.72.0", "5.74.0"), ("shellcheck", "0.9.0", "0.10.0")),
}


# --- Build history -----------------------------------------------------------------------------


@dataclass
class Commit:
    sha: str
    author: str
    message: str
    time_ms: Optional[int] = None  # set from the first build that checks it out


@dataclass
class Revision:
    ref_name: str
    branch: str
    commit: Commit


@dataclass
class Branch:
    name: str
    author: str
    topic: Optional[str] = None
    pull_request: Optional[int] = None
    head: Optional[Commit] = None


@dataclass
class BuildPlan:
    """Everything decided about one build before it is written out."""

    index: int
    number: int
    branch: str
    trigger: str  # scm, pr, timer or "user:<name>"
    revisions: list
    version: str
    pull_request: Optional[int] = None
    result: str = SUCCESS
    failure: Optional[str] = None  # compile, tests or publish
    test_counts: tuple = (0, 0, 0)  # (fail, skip, total) as the log reports them
    tests_reported: bool = False
    rebuilds: Optional[int] = None  # the build whose commit a user started again
    start_ms: int = 0
    duration_ms: int = 0
    big_log: bool = False

    @property
    def running(self):
        return self.result == BUILDING


class HistoryPlanner:
    """Plans a project's builds oldest first, so branches, commits and versions evolve."""

    def __init__(self, spec, rng):
        self.spec = spec
        self.rng = rng
        self.host = SCM_HOSTS[spec.host]
        self.main = Branch("main", rng.pick(AUTHORS))
        self.main.head = self._new_commit(self.main.author, self._message())
        self.releases = {}
        self.features = []
        self.used_names = set()
        self.next_pull_request = rng.between(40, 600)
        self.pending_merge = None  # (message, author) of the next commit on main
        self.last_result = {}
        self.last_number = {}

    def plan(self, running_count):
        plans = []
        for index in range(self.spec.count):
            running = index >= self.spec.count - running_count
            plans.append(self._plan_build(index, running))
        return plans

    def _plan_build(self, index, running):
        spec, rng = self.spec, self.rng
        number = spec.first_number + index
        version = self._version(index)

        if spec.toolchain == "shell" and rng.chance(0.12):
            # A scheduled maintenance run: no checkout, so no revision at all.
            plan = BuildPlan(index, number, "", "timer", [], version)
        else:
            kind = rng.weighted((("main", 55), ("release", 13), ("feature", 32)))
            if kind == "main":
                plan = self._plan_on_main(index, number, version)
            elif kind == "release":
                plan = self._plan_on_release(index, number, version)
            else:
                plan = self._plan_on_feature(index, number, version)

        if plan.trigger.startswith("user:"):
            plan.rebuilds = self.last_number.get(plan.branch)
        self._decide_result(plan, running)
        self.last_result[plan.branch] = plan.result
        self.last_number[plan.branch] = number
        return plan

    def _version(self, index):
        major, minor = self.spec.first_version
        return f"{major}.{minor + index // 30}.{(index % 30) // 5}"

    def _plan_on_main(self, index, number, version):
        trigger, head = self._advance(self.main, self._main_message)
        revision = Revision("refs/heads/main", "main", head)
        return BuildPlan(index, number, "main", trigger, [revision], version)

    def _plan_on_release(self, index, number, version):
        name = "release/" + version.rsplit(".", 1)[0]
        branch = self.releases.get(name)
        if branch is None:
            branch = self.releases[name] = Branch(name, self.rng.pick(AUTHORS))
            branch.head = self._new_commit(branch.author, f"Prepare release {version}")
            trigger = "scm"
        else:
            trigger, _ = self._advance(
                branch, lambda: (self._release_message(version), branch.author))
        revision = Revision(f"refs/heads/{name}", name, branch.head)
        return BuildPlan(index, number, name, trigger, [revision], version)

    def _plan_on_feature(self, index, number, version):
        rng = self.rng
        if self.features and rng.chance(0.6):
            branch = rng.pick(self.features)
            trigger, head = self._advance(
                branch, lambda: (self._message(branch.topic), branch.author))
        else:
            branch = self._open_feature()
            trigger, head = "scm", branch.head

        if branch.pull_request is None:
            revisions = [Revision(f"refs/heads/{branch.name}", branch.name, head)]
        else:
            ref = self.host.pull_ref.format(number=branch.pull_request)
            revisions = [Revision(ref, branch.name, head)]
            if rng.chance(0.5):
                # The pull request build merges the target branch in: igor lists both commits.
                revisions.append(Revision("refs/heads/main", "main", self.main.head))
            trigger = "pr" if trigger == "scm" else trigger

        plan = BuildPlan(index, number, branch.name, trigger, revisions, version,
                         pull_request=branch.pull_request)
        if rng.chance(0.22):
            self._close_feature(branch)
        return plan

    def _open_feature(self):
        rng = self.rng
        if len(self.features) >= 3:
            self._close_feature(self.features[0])

        topic = rng.pick(self.spec.topics)
        prefix = rng.weighted((("feature", 70), ("fix", 20), ("chore", 10)))
        stem = f"{prefix}/{topic.replace(' ', '-')}-{rng.pick(BRANCH_WORDS)}"
        name, suffix = stem, 2
        while name in self.used_names:
            name = f"{stem}-{suffix}"
            suffix += 1
        self.used_names.add(name)

        branch = Branch(name, rng.pick(AUTHORS), topic)
        if rng.chance(0.6):
            branch.pull_request = self.next_pull_request
            self.next_pull_request += rng.between(1, 6)
        branch.head = self._new_commit(branch.author, self._message(topic))
        self.features.append(branch)
        return branch

    def _close_feature(self, branch):
        self.features.remove(branch)
        if branch.pull_request is not None:
            message = self.host.url(self.host.merge, self.spec, number=branch.pull_request,
                                    branch=branch.name)
            self.pending_merge = (f"{message}\n\n{branch.head.message}", branch.author)

    def _advance(self, branch, next_message):
        """Moves a branch to a new commit, or rebuilds its head after a failed build."""
        rng = self.rng
        if self.last_result.get(branch.name) in (FAILURE, ABORTED) and rng.chance(0.35):
            return f"user:{rng.pick(AUTHORS)}", branch.head
        message, author = next_message()
        branch.head = self._new_commit(author, message)
        return "scm", branch.head

    def _main_message(self):
        if self.pending_merge is not None:
            merge, self.pending_merge = self.pending_merge, None
            return merge
        if self.rng.chance(0.15):
            name, old, new = self.rng.pick(DEPENDENCIES[self.spec.toolchain])
            return f"Bump {name} from {old} to {new}", BOT_AUTHOR
        return self._message(), self.rng.pick(AUTHORS)

    def _release_message(self, version):
        if self.rng.chance(0.3):
            return f"Bump version to {version}"
        return f"Cherry-pick: {self._message()}"

    def _message(self, topic=None):
        rng = self.rng
        return rng.pick(MESSAGE_FORMS).format(
            topic=topic or rng.pick(self.spec.topics), condition=rng.pick(CONDITIONS),
            case=rng.pick(CASES), error=rng.pick(ERRORS))

    def _new_commit(self, author, message):
        return Commit(self.rng.sha(), author, message)

    def _decide_result(self, plan, running):
        rng, spec = self.rng, self.spec
        total = spec.tests + plan.index // (20 if spec.toolchain == "shell" else 3)
        skip = rng.below(5)
        if running:
            plan.result = BUILDING
            plan.test_counts = (0, skip, total)
            return

        if not plan.revisions:
            weights = ((SUCCESS, 80), (FAILURE, 12), (ABORTED, 8))
        elif plan.branch == "main" or plan.branch.startswith("release/"):
            weights = ((SUCCESS, 70), (UNSTABLE, 10), (FAILURE, 10), (ABORTED, 6), (NOT_BUILT, 4))
        else:
            # Work in progress breaks more often.
            weights = ((SUCCESS, 55), (UNSTABLE, 12), (FAILURE, 20), (ABORTED, 8), (NOT_BUILT, 5))
        plan.result = rng.weighted(weights)

        fail = 0
        if plan.result == UNSTABLE:
            fail = rng.between(1, 5)
        elif plan.result == FAILURE:
            plan.failure = rng.weighted((("tests", 45), ("compile", 35), ("publish", 20)))
            if plan.failure == "tests":
                fail = rng.between(1, 9)
        plan.test_counts = (fail, skip, total)
        plan.tests_reported = bool(plan.revisions) and (
            plan.result in (SUCCESS, UNSTABLE) or plan.failure in ("tests", "publish"))


def schedule(plans, spec, rng, now_ms):
    """Gives the builds durations and start times, walking back from now.

    Start times strictly increase with the build number; finished builds end before now and
    running builds started shortly before it, their duration being the time elapsed so far.
    """
    percent = {"gradle": 100, "npm": 60, "shell": 25}[spec.toolchain]
    for plan in plans:
        plan.duration_ms = duration_ms(plan, percent, rng)

    later_start = now_ms
    running_seen = 0
    for plan in reversed(plans):
        if plan.running:
            elapsed = rng.between(40, 420) if running_seen == 0 else rng.between(300, 900)
            start = min(later_start - 30_000, now_ms - elapsed * 1000)
            running_seen += 1
        else:
            gap = rng.weighted((((600, 7200), 60), ((7200, 36000), 30), ((36000, 144000), 10)))
            settle = rng.between(60, 1800) * 1000
            start = min(later_start - rng.between(*gap) * 1000,
                        now_ms - plan.duration_ms - settle)
        plan.start_ms = start - start % 1000
        if plan.running:
            plan.duration_ms = now_ms - plan.start_ms
        later_start = plan.start_ms

    for plan in plans:
        for revision in plan.revisions:
            commit = revision.commit
            if commit.time_ms is None:
                commit.time_ms = plan.start_ms - rng.between(60, 5400) * 1000


def duration_ms(plan, percent, rng):
    """How long a finished build took; `percent` scales for toolchains faster than Gradle."""
    if plan.big_log:
        seconds = rng.between(2400, 3000)
    elif plan.result == NOT_BUILT:
        return rng.between(2, 9) * 1000 + rng.below(1000)
    elif plan.result == ABORTED:
        seconds = rng.between(60, 1800)
    elif plan.failure == "compile":
        seconds = rng.between(40, 180)
    elif plan.failure == "tests":
        seconds = rng.between(150, 600)
    else:
        seconds = rng.between(180, 720)
    return seconds * percent * 10 + rng.below(1000)


def running_count(rng, builds):
    """Most projects have a build or two in flight; tiny ones have none."""
    return min(rng.weighted(((0, 25), (1, 50), (2, 25))), builds // 8)


# --- Wire documents -----------------------------------------------------------------------------


def build_document(spec, plan):
    """One build exactly as igor's GET /ci/builds answers it (contract section 2)."""
    host = SCM_HOSTS[spec.host]
    build_id = spec.build_id(plan.number)
    build_url = f"{CI_BASE}/builds/{build_id}"
    end_ms = plan.start_ms + plan.duration_ms

    properties = {"projectKey": spec.key, "repoSlug": spec.slug,
                  "startedAt": iso_instant(plan.start_ms)}
    if not plan.running:
        properties["completedAt"] = iso_instant(end_ms)
    properties["startedTs"] = str(plan.start_ms)
    if not plan.running:
        properties["completedTs"] = str(end_ms)
    pull = plan.pull_request
    properties["pullRequestNumber"] = "" if pull is None else str(pull)
    properties["pullRequestUrl"] = "" if pull is None else host.url(host.pull, spec, number=pull)

    return {
        "building": plan.running,
        "fullDisplayName": f"{spec.job} #{plan.number}",
        "name": spec.job,
        "number": plan.number,
        "duration": plan.duration_ms,
        "timestamp": str(plan.start_ms),
        "result": plan.result,
        "artifacts": artifact_documents(spec, plan, build_url),
        "testResults": test_result_documents(spec, plan),
        "url": build_url,
        "id": build_id,
        "scm": [revision_document(spec, host, revision) for revision in plan.revisions],
        "properties": properties,
    }


def revision_document(spec, host, revision):
    commit = revision.commit
    return {
        "name": revision.ref_name,
        "branch": revision.branch,
        "sha1": commit.sha,
        "committer": commit.author,
        "compareUrl": host.url(host.commit, spec, sha=commit.sha),
        "message": commit.message,
        "timestamp": iso_instant(commit.time_ms),
        "remoteUrl": host.url(host.remote, spec),
    }


def artifact_version(plan):
    return f"{plan.version}-h{plan.number}.{plan.revisions[0].commit.sha[:7]}"


def artifact_documents(spec, plan, build_url):
    published = plan.result in (SUCCESS, UNSTABLE)
    archived_only = plan.result == FAILURE and plan.failure == "publish"
    if not plan.revisions or not (published or archived_only):
        return []

    head = plan.revisions[0]
    version = artifact_version(plan)
    metadata = {"buildNumber": str(plan.number), "commitId": head.commit.sha,
                "branch": head.branch}
    documents = []
    for kind in spec.artifacts:
        if kind == "docker":
            if archived_only:
                continue  # the push is what failed
            image = f"{spec.key.lower()}/{spec.slug}"
            reference = f"{REGISTRY}/{image}:{version}"
            link = f"{build_url}/artifacts/docker/{spec.slug}/{version}"
            documents.append({"fileName": reference, "displayPath": link, "reference": reference,
                              "name": image, "type": "docker", "version": version, "url": link,
                              "metadata": dict(metadata, tag=version), "decorated": False})
            continue

        if kind == "deb":
            file_name = f"{spec.slug}_{version}_all.deb"
            relative = f"build/distributions/{file_name}"
        else:
            file_name = f"{spec.slug}-{version}.jar"
            relative = f"build/libs/{file_name}"
        link = f"{build_url}/artifacts/{relative}"
        documents.append({"fileName": file_name, "displayPath": link, "relativePath": relative,
                          "name": spec.slug, "type": kind, "version": version, "url": link,
                          "metadata": dict(metadata), "decorated": False})
    return documents


def test_result_documents(spec, plan):
    if not plan.tests_reported:
        return []
    fail, skip, total = plan.test_counts
    # The frontend jobs publish no report page, so their urlName is null; igor writes the null.
    url_name = None if spec.toolchain == "npm" else "testReport"
    return [{"failCount": fail, "skipCount": skip, "totalCount": total, "urlName": url_name}]


# --- Logs --------------------------------------------------------------------------------------

STAMP_WIDTH = len("[2026-11-30T12:00:00.000Z] ")

TEST_METHODS = (
    "returns the newest version first", "ignores builds without a commit",
    "retries when the server answers 503", "keeps the order of stages", "rejects an empty config",
    "parses timestamps with an offset", "treats a missing result as unknown",
    "caches the answer for a minute", "drops duplicate events",
    "handles a branch name with a slash", "stops after the last retry",
    "maps every status to a colour", "survives a restart mid-flight",
    "writes nothing in dry-run mode", "reads numbers as strings", "accepts lower-case names",
)
ASSERTIONS = (
    "expected: <200> but was: <503>", "expected: <3> but was: <2>",
    "expected: <SUCCESS> but was: <BUILDING>", "Expected value to be true.",
    "Timed out after 30 seconds waiting for the queue to drain",
)
GRADLE_DOWNLOADS = (
    "org/jetbrains/kotlin/kotlin-stdlib/2.0.21/kotlin-stdlib-2.0.21.jar",
    "com/fasterxml/jackson/core/jackson-databind/2.18.1/jackson-databind-2.18.1.jar",
    "org/springframework/boot/spring-boot/3.3.5/spring-boot-3.3.5.jar",
    "io/mockk/mockk-jvm/1.13.13/mockk-jvm-1.13.13.jar",
    "org/junit/jupiter/junit-jupiter-engine/5.11.3/junit-jupiter-engine-5.11.3.jar",
    "com/squareup/okhttp3/okhttp/4.12.0/okhttp-4.12.0.jar",
    "io/strikt/strikt-core/0.35.1/strikt-core-0.35.1.jar",
    "org/slf4j/slf4j-api/2.0.16/slf4j-api-2.0.16.jar",
)


def camel(words):
    return "".join(word[:1].upper() + word[1:] for word in words.split())


APP_CLOCK = "\x00"  # stands for the application's own timestamp inside a log line
APP_CLOCK_WIDTH = len("2026-11-30 12:00:00.000")
STEP_PREFIXES = ("+ ", "> Task ", " > git fetch ")


class LogBuilder:
    """The lines of one build log; timestamps are added when it is rendered.

    Each line gets a weight: a step (a shell command, a Gradle task) waits for the work before
    it, output streams out quickly. Rendering spreads the build's duration over the weights, so
    the timestamps have the bursts and pauses of a real log.
    """

    def __init__(self, rng, colour, escapes):
        self.rng = rng
        self.colour = colour
        self.escapes = escapes  # cursor and line-clearing escapes, as progress bars write them
        self.lines = []
        self.weights = []
        self.size = 0
        self.ends_mid_line = False

    def add(self, *lines):
        for line in lines:
            self.lines.append(line)
            self.weights.append(self.rng.between(20, 90) if line.startswith(STEP_PREFIXES) else 1)
            self.size += len(line) + STAMP_WIDTH + 1
            if APP_CLOCK in line:
                self.size += APP_CLOCK_WIDTH - 1

    def shell(self, command):
        self.add(f"+ {command}")

    def paint(self, code, text):
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def progress(self, text):
        """A progress line that a terminal would redraw in place."""
        if self.escapes:
            self.add(f"\x1b[2K{text}")

    def cut(self, fraction, partial):
        """Keeps the first part of the log; a running build may stop in the middle of a line."""
        keep = max(4, int(len(self.lines) * fraction))
        del self.lines[keep:]
        del self.weights[keep:]
        if partial and len(self.lines[-1]) > 8:
            self.lines[-1] = self.lines[-1][:len(self.lines[-1]) // 2]
            self.ends_mid_line = True

    def render(self, start_ms, span_ms):
        total = sum(self.weights[1:]) or 1
        out = []
        elapsed = 0
        second, prefix = None, ""
        for line, weight in zip(self.lines, self.weights):
            if out:
                elapsed += weight
            ms = start_ms + span_ms * elapsed // total
            if ms // 1000 != second:
                second = ms // 1000
                prefix = time.strftime("[%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            if APP_CLOCK in line:
                app_ms = ms - 2 - ms % 7
                line = line.replace(APP_CLOCK, time.strftime(
                    "%Y-%m-%d %H:%M:%S", time.gmtime(app_ms // 1000)) + f".{app_ms % 1000:03d}")
            out.append(f"{prefix}.{ms % 1000:03d}Z] {line}")
        text = "\n".join(out)
        return (text if self.ends_mid_line else text + "\n").encode("utf-8")


@dataclass
class LogContext:
    spec: ProjectSpec
    plan: BuildPlan
    host: ScmHost
    target: int  # bytes the filler sections grow the log to
    big_bytes: int = 0  # when set, verbose integration test output up to this size
    workspace: str = field(init=False)

    def __post_init__(self):
        self.workspace = f"{WORKSPACE}/{self.spec.folder}"


def compose_log(spec, plan, rng, target, big_bytes, previous_sha):
    """Writes the log of one build: realistic CI output that ends the way the build did."""
    # The very large log is the one to try ANSI stripping on at scale, so it always has colour.
    colour = bool(big_bytes) or rng.chance(spec.colour)
    log = LogBuilder(rng, colour, escapes=colour and rng.chance(0.35))
    context = LogContext(spec, plan, SCM_HOSTS[spec.host], target, big_bytes)

    write_header(log, context, previous_sha)
    if plan.result == NOT_BUILT:
        log.add("Skipping the build: no file under the paths this job watches changed since "
                f"{previous_sha[:7] if previous_sha else 'the last build'}",
                "Finished: NOT_BUILT")
        return log

    {"gradle": write_gradle, "npm": write_npm, "shell": write_shell}[spec.toolchain](log, context)

    if plan.result == ABORTED:
        log.cut(rng.between(30, 85) / 100, partial=False)
        minutes = plan.duration_ms // 60_000
        if minutes >= 10 and rng.chance(0.6):
            log.add(f"Build timed out (after {minutes} minutes). Marking the build as aborted.")
        else:
            log.add(f"Aborted by {rng.pick(AUTHORS)}")
        log.add("Sending interrupt signal to process", "Terminated",
                "script returned exit code 143", "Finished: ABORTED")
    elif plan.running:
        log.cut(rng.between(25, 85) / 100, partial=rng.chance(0.6))
    else:
        write_footer(log, context)
    return log


def write_header(log, context, previous_sha):
    plan, spec, host, rng = context.plan, context.spec, context.host, log.rng
    if plan.trigger == "timer":
        log.add("Started by timer")
    elif plan.trigger == "pr":
        log.add(f"Started by pull request #{plan.pull_request} ({plan.branch})")
    elif plan.trigger.startswith("user:"):
        log.add(f"Started by user {plan.trigger[5:]}", f"Rebuilds build #{plan.rebuilds}")
    else:
        log.add("Started by an SCM change")
    log.add("Running as SYSTEM",
            f"Building on agent linux-build-{rng.between(1, 24):02d} in workspace "
            f"{context.workspace}")
    if not plan.revisions:
        return

    remote = host.url(host.remote, spec)
    head = plan.revisions[0]
    refspec = "+refs/heads/*:refs/remotes/origin/*"
    if plan.pull_request is not None:
        refspec += f" +{head.ref_name}:refs/remotes/origin/PR-{plan.pull_request}"
    log.add("The recommended git tool is: NONE",
            "using credential ci-git-readonly",
            "Cloning the remote Git repository",
            f"Cloning repository {remote}",
            f" > git init {context.workspace} # timeout=10",
            f"Fetching upstream changes from {remote}",
            " > git --version # timeout=10",
            " > git --version # 'git version 2.39.5'",
            f" > git fetch --tags --force --progress -- {remote} {refspec} # timeout=10",
            f" > git config remote.origin.url {remote} # timeout=10",
            f"Checking out Revision {head.commit.sha} ({head.ref_name})",
            " > git config core.sparsecheckout # timeout=10",
            f" > git checkout -f {head.commit.sha} # timeout=10")
    for extra in plan.revisions[1:]:
        log.add(f"Merging Revision {extra.commit.sha} ({extra.ref_name}) into "
                f"{head.commit.sha[:7]}",
                f" > git merge --no-edit {extra.commit.sha} # timeout=10")
    log.add(f"Commit message: \"{head.commit.message.splitlines()[0]}\"")
    if previous_sha:
        log.add(f" > git rev-list --no-walk {previous_sha} # timeout=10")
    else:
        log.add("First time build. Skipping changelog.")


def write_footer(log, context):
    plan = context.plan
    if plan.result in (SUCCESS, UNSTABLE) and context.spec.artifacts and plan.revisions:
        log.add("Archiving artifacts")
    if plan.tests_reported:
        log.add("Recording test results",
                "[Checks API] No suitable checks publisher found.")
    if plan.result == UNSTABLE:
        log.add("Build step 'Publish JUnit test result report' changed build result to UNSTABLE")
    if plan.result == FAILURE:
        log.add("ERROR: script returned exit code 1")
    log.add(f"Finished: {plan.result}")


def elapsed_text(ms):
    minutes, seconds = divmod(ms // 1000, 60)
    return f"{minutes}m {seconds}s" if minutes else f"{seconds}s"


def test_positions(rng, count, expected_lines):
    """Which of the printed test lines fail (or are skipped): `count` distinct ones."""
    lines = max(expected_lines, count)
    chosen = set()
    while len(chosen) < count:
        chosen.add(rng.below(lines))
    return chosen


def write_gradle(log, context):
    spec, plan, rng = context.spec, context.plan, log.rng
    tasks = ["clean", "build"]
    tasks += [{"deb": "publishDeb", "jar": "publish", "docker": "dockerPush"}[kind]
              for kind in spec.artifacts]
    log.shell(f"./gradlew {' '.join(tasks)} --no-daemon --stacktrace "
              f"--console={'rich' if log.colour else 'plain'}")
    log.add("To honour the JVM settings for this build a single-use Daemon process will be "
            "forked. For more on this, please refer to https://docs.gradle.org/8.10.2/userguide/"
            "gradle_daemon.html#sec:disabling_the_daemon in the Gradle documentation.",
            "Daemon will be stopped at the end of the build ",
            "> Configure project :")
    for path in rng.pick((GRADLE_DOWNLOADS[:3], GRADLE_DOWNLOADS[2:], GRADLE_DOWNLOADS)):
        log.add(f"Download https://repo.maven.apache.org/maven2/{path}")
    log.progress("<=============> 100% CONFIGURING [12s]")

    package = f"com.example.{spec.slug.split('-')[0]}"
    source = f"{context.workspace}/src/main/kotlin/{package.replace('.', '/')}"
    log.add("> Task :clean", "> Task :processResources", "> Task :compileKotlin")
    for _ in range(rng.between(0, 3)):
        topic = camel(rng.pick(spec.topics))
        log.add(f"w: file://{source}/{topic}.kt:{rng.between(20, 300)}:{rng.between(5, 40)} "
                "'getStatus(): String' is deprecated. Use the typed status instead.")

    if plan.failure == "compile":
        topic = camel(rng.pick(spec.topics))
        log.add(log.paint("1;31", f"e: file://{source}/{topic}.kt:{rng.between(20, 300)}:"
                                  f"{rng.between(5, 40)} Unresolved reference 'retryPolicy'."))
        gradle_failure(log, context, "compileKotlin", "Compilation error. See log for more "
                       "details", COMPILER_CAUSE)
        return

    log.add("> Task :compileJava NO-SOURCE", "> Task :classes", "> Task :jar",
            "> Task :compileTestKotlin", "> Task :testClasses", "> Task :test")
    gradle_tests(log, context, package)
    if context.big_bytes:
        gradle_integration_tests(log, context, package)

    fail = plan.test_counts[0]
    if plan.failure == "tests":
        report = f"file://{context.workspace}/build/reports/tests/test/index.html"
        gradle_failure(log, context, "test", "There were failing tests. See the report at: "
                       f"{report}", TEST_CAUSE)
        return
    if fail:
        log.add(log.paint("33", "There were failing tests. See the report at: file://"
                                f"{context.workspace}/build/reports/tests/test/index.html"))

    log.add("> Task :check", "> Task :build")
    gradle_packaging(log, context)
    if plan.failure == "publish":
        return

    actionable = rng.between(14, 31)
    log.add("", log.paint("1;32", f"BUILD SUCCESSFUL in {elapsed_text(plan.duration_ms)}"),
            f"{actionable} actionable tasks: {actionable - rng.below(4)} executed")


def gradle_tests(log, context, package):
    spec, plan, rng = context.spec, context.plan, log.rng
    fail, skip, _ = plan.test_counts
    classes = [f"{package}.{camel(topic)}Test" for topic in spec.topics]
    line_size = 70 + STAMP_WIDTH
    expected = max(8, (context.target - log.size - 2500) // line_size)
    failing = test_positions(rng, fail, expected)
    skipped = test_positions(rng, skip, expected)

    last_needed = max(failing | skipped | {7})
    printed = 0
    while printed <= last_needed or log.size < context.target - 2500:
        name = f"{rng.pick(classes)} > {rng.pick(TEST_METHODS)}()"
        if printed in failing:
            log.add(f"{name} {log.paint('1;31', 'FAILED')}")
            java_assertion(log, name, rng)
        elif printed in skipped:
            log.add(f"{name} {log.paint('33', 'SKIPPED')}")
        else:
            log.add(f"{name} {log.paint('32', 'PASSED')}")
        printed += 1
        if printed % 40 == 0:
            log.progress(f"<=========----> {min(99, 60 + printed // 40)}% EXECUTING "
                         f"[{printed // 20}s]")
        if printed > 5000:
            break

    log.add("", f"{plan.test_counts[2]} tests completed, {fail} failed, {skip} skipped")


def java_assertion(log, name, rng):
    cls, method = name.split(" > ")
    simple = cls.rsplit(".", 1)[1]
    log.add(f"    org.opentest4j.AssertionFailedError: {rng.pick(ASSERTIONS)}",
            "        at app//org.junit.jupiter.api.AssertionFailureBuilder.build"
            "(AssertionFailureBuilder.java:151)",
            "        at app//org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow"
            "(AssertionFailureBuilder.java:132)",
            "        at app//org.junit.jupiter.api.AssertEquals.failNotEqual"
            "(AssertEquals.java:197)",
            f"        at app//{cls}.{method[:-2]}({simple}.kt:{rng.between(30, 400)})", "")


COMPILER_CAUSE = (
    "Caused by: org.jetbrains.kotlin.gradle.tasks.CompilationErrorException: Compilation error",
    "\tat org.jetbrains.kotlin.gradle.tasks.TasksUtilsKt.throwExceptionIfCompilationFailed"
    "(tasksUtils.kt:21)",
    "\tat org.jetbrains.kotlin.compilerRunner.GradleKotlinCompilerWork.run"
    "(GradleKotlinCompilerWork.kt:119)",
)
TEST_CAUSE = (
    "Caused by: org.gradle.api.GradleException: There were failing tests.",
    "\tat org.gradle.api.tasks.testing.AbstractTestTask.handleTestFailures"
    "(AbstractTestTask.java:710)",
    "\tat org.gradle.api.tasks.testing.AbstractTestTask.executeTests(AbstractTestTask.java:561)",
)
UPLOAD_CAUSE = (
    "Caused by: org.gradle.internal.resource.transport.http.HttpErrorStatusCodeException: "
    "Received status code 502 from server: Bad Gateway",
    "\tat org.gradle.internal.resource.transport.http.HttpClientHelper.processResponse"
    "(HttpClientHelper.java:219)",
    "\tat org.gradle.internal.resource.transport.http.HttpResourceUploader.upload"
    "(HttpResourceUploader.java:52)",
)


def gradle_failure(log, context, task, reason, cause):
    """Gradle's failure report with --stacktrace; the log ends with it."""
    rng = log.rng
    log.add(f"> Task :{task} FAILED", "",
            log.paint("1;31", "FAILURE: Build failed with an exception."), "",
            "* What went wrong:", f"Execution failed for task ':{task}'.", f"> {reason}", "",
            "* Try:", "> Run with --info or --debug option to get more log output.",
            "> Run with --scan to get full insights.",
            "> Get more help at https://help.gradle.org.", "",
            "* Exception is:",
            f"org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':{task}'.",
            "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter"
            ".lambda$executeIfValid$1(ExecuteActionsTaskExecuter.java:130)",
            "\tat org.gradle.internal.Try$Failure.ifSuccessfulOrElse(Try.java:293)",
            "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter"
            ".executeIfValid(ExecuteActionsTaskExecuter.java:128)",
            "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter"
            ".execute(ExecuteActionsTaskExecuter.java:116)",
            "\tat org.gradle.api.internal.tasks.execution.FinalizePropertiesTaskExecuter"
            ".execute(FinalizePropertiesTaskExecuter.java:46)",
            "\tat org.gradle.execution.plan.DefaultPlanExecutor$ExecutorWorker"
            ".run(DefaultPlanExecutor.java:355)",
            *cause,
            f"\t... {rng.between(28, 40)} more", "", "",
            log.paint("1;31", f"BUILD FAILED in {elapsed_text(context.plan.duration_ms)}"))
    actionable = rng.between(6, 20)
    log.add(f"{actionable} actionable tasks: {actionable - rng.below(3)} executed")


def gradle_packaging(log, context):
    """Packages and publishes the artifacts; a publish failure ends the log at the failing one."""
    spec, plan = context.spec, context.plan
    if not plan.revisions:
        return
    version = artifact_version(plan)
    failing = spec.artifacts[-1] if plan.failure == "publish" and spec.artifacts else None
    for kind in spec.artifacts:
        if kind == "docker":
            pushed = write_docker(log, context, f"{spec.key.lower()}/{spec.slug}", version,
                                  gradle=True, fail=kind == failing)
            if not pushed:
                gradle_failure(log, context, "dockerPush", "Process 'command 'docker'' finished "
                               "with non-zero exit value 1", UPLOAD_CAUSE)
                return
            continue

        if kind == "deb":
            file_name = f"{spec.slug}_{version}_all.deb"
            task, target = "publishDeb", f"https://apt.example.com/pool/main/{spec.slug[0]}/"
            log.add("> Task :buildDeb", f"Created build/distributions/{file_name}")
        else:
            file_name = f"{spec.slug}-{version}.jar"
            task = "publishMavenPublicationToReleasesRepository"
            target = f"https://artifacts.example.com/releases/com/example/{spec.slug}/{version}/"
            log.add("> Task :generatePomFileForMavenPublication")
        if kind == failing:
            log.add(f"Upload {target}{file_name}")
            gradle_failure(log, context, task, f"Could not PUT '{target}{file_name}'. Received "
                           "status code 502 from server: Bad Gateway", UPLOAD_CAUSE)
            return
        log.add(f"> Task :{task}", f"Upload {target}{file_name}")


def write_docker(log, context, image, version, gradle, fail=False):
    """Builds and pushes an image; answers whether the push went through."""
    rng = log.rng
    reference = f"{REGISTRY}/{image}:{version}"
    if gradle:
        log.add("> Task :dockerBuild")
    else:
        log.shell(f"docker build --pull -t {reference} .")
    base = "eclipse-temurin:21-jre" if gradle else "nginx:1.27-alpine"
    steps = ("[internal] load build definition from Dockerfile",
             f"[internal] load metadata for docker.io/library/{base}",
             "[internal] load .dockerignore", f"[1/4] FROM docker.io/library/{base}",
             "[internal] load build context", "[2/4] WORKDIR /opt/app",
             "[3/4] COPY build/install/ /opt/app/" if gradle else "[3/4] COPY dist/ /opt/app/",
             "[4/4] RUN chmod -R a+rX /opt/app", "exporting to image")
    for number, step in enumerate(steps, start=1):
        log.add(f"#{number} {step}")
        log.progress(f"#{number} {rng.between(1, 40) / 10:.1f}s")
        log.add(f"#{number} DONE {rng.between(0, 90) / 10:.1f}s")
    log.add(f"#{len(steps)} naming to {reference} done")

    if gradle:
        log.add("> Task :dockerPush")
    else:
        log.shell(f"docker push {reference}")
    log.add(f"The push refers to repository [{REGISTRY}/{image}]")
    for _ in range(rng.between(3, 6)):
        layer = rng.sha()[:12]
        log.progress(f"{layer}: Pushing [=====>          ]  {rng.between(2, 80)}.{rng.below(9)}MB")
        log.add(f"{layer}: Pushed" if rng.chance(0.7) else f"{layer}: Layer already exists")
    if fail:
        log.add(log.paint("1;31", f"unknown: HTTP 502 Bad Gateway while uploading to {REGISTRY}"))
        return False
    log.add(f"{version}: digest: sha256:{rng.sha()}{rng.sha()[:24]} size: "
            f"{rng.between(1200, 3200)}")
    return True


def jenkins_step_failure(log):
    log.add("hudson.AbortException: script returned exit code 1",
            "\tat org.jenkinsci.plugins.workflow.steps.durable_task.DurableTaskStep$Execution"
            ".handleExit(DurableTaskStep.java:668)",
            "\tat org.jenkinsci.plugins.workflow.steps.durable_task.DurableTaskStep$Execution"
            ".check(DurableTaskStep.java:614)",
            "\tat org.jenkinsci.plugins.workflow.steps.durable_task.DurableTaskStep$Execution"
            ".run(DurableTaskStep.java:555)",
            "\tat java.base/java.util.concurrent.Executors$RunnableAdapter.call"
            "(Executors.java:572)",
            "\tat java.base/java.lang.Thread.run(Thread.java:1583)")


def gradle_integration_tests(log, context, package):
    """Verbose integration test output: tens of thousands of DEBUG lines, some coloured."""
    rng = log.rng
    executions = [f"01J{rng.sha()[:23].upper()}" for _ in range(64)]
    threads = [f"handlers-{n}" for n in range(1, 13)] + ["main", "pool-3-thread-1"]
    loggers = ("c.e.orca.q.handler.RunTaskHandler", "c.e.orca.q.handler.StartStageHandler",
               "c.e.orca.q.handler.CompleteStageHandler", "c.e.orca.q.redis.RedisQueue",
               "c.e.orca.pipeline.persistence.ExecutionRepository",
               "o.s.web.client.RestTemplate", "c.e.orca.clouddriver.KatoService")
    messages = ("Received message RunTask(executionId={e}, stageId={s}, taskId={t})",
                "Task {t} of stage {s} in {e} returned RUNNING, backing off {b} ms",
                "Stage {s} in {e} completed with status SUCCEEDED",
                "Pushed message StartStage(executionId={e}, stageId={s}) to queue orca.task",
                "GET http://clouddriver.test:7002/applications/demo/serverGroups -> 200 ({b} ms)",
                "Acquired lock on {e} for handler after {b} ms",
                "Persisted execution {e} (version {t})")
    levels = (("DEBUG", "32"), ("DEBUG", "32"), ("DEBUG", "32"), (" INFO", "32"), (" WARN", "33"))
    tests = [f"{package}.{camel(topic)}IntegrationTest" for topic in context.spec.topics]

    log.add("> Task :integrationTest")
    count = 0
    while log.size < context.big_bytes:
        level, code = rng.pick(levels)
        if log.colour and rng.chance(0.3):
            level = f"\x1b[{code}m{level}\x1b[0m"
        text = rng.pick(messages).format(e=rng.pick(executions), s=rng.sha()[:8],
                                         t=rng.between(1, 9), b=rng.between(2, 900))
        log.add(f"    {APP_CLOCK} {level} 4242 --- [{rng.pick(threads):>15}] "
                f"{rng.pick(loggers):<52}: {text}")
        count += 1
        if count % 400 == 0:
            name = f"{rng.pick(tests)} > {rng.pick(TEST_METHODS)}()"
            log.add("", f"{name} {log.paint('32', 'PASSED')}", "")
    log.add("", f"{count // 400} integration tests completed, 0 failed")


def write_npm(log, context):
    spec, plan, rng = context.spec, context.plan, log.rng
    package = f"{spec.slug}@{plan.version}"
    log.shell("node --version")
    log.add("v20.18.0")
    log.shell("npm ci --no-audit --no-fund")
    if log.escapes:
        log.add("\x1b[?25l")
        log.progress("⠙ idealTree: timing idealTree Completed in 812ms")
        log.progress("⠸ reify: timing reifyNode:node_modules/esbuild Completed in 3411ms")
    log.add("npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
            "npm warn deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported")
    if log.escapes:
        log.add("\x1b[?25h")
    log.add(f"added {rng.between(1200, 1600)} packages in {rng.between(20, 70)}s")

    log.shell("npm run lint")
    log.add("", f"> {package} lint", "> eslint --max-warnings 0 src", "")

    log.shell("npm test -- --ci --colors --reporters=default --reporters=jest-junit")
    log.add("", f"> {package} test", "> jest --ci --colors --reporters=default "
            "--reporters=jest-junit", "")
    jest_tests(log, context)
    if plan.failure == "tests":
        npm_error(log, context, "test", "jest --ci --colors")
        return

    log.shell("npm run build")
    log.add("", f"> {package} build", "> tsc -b && vite build", "",
            log.paint("36", "vite v5.4.10 ") + log.paint("32", "building for production..."))
    if plan.failure == "compile":
        log.add(log.paint("1;31", "error during build:"),
                "[vite]: Rollup failed to resolve import \"@spinnaker/presentation\" from "
                f"\"{context.workspace}/src/ci/CIReader.ts\".",
                "This is most likely unintended because it can break your application at "
                "runtime.",
                "    at viteWarn (file:///var/lib/ci/workspace/node_modules/vite/dist/node/"
                "chunks/dep-BWSbWtLw.js:65589:17)",
                "    at onRollupWarning (file:///var/lib/ci/workspace/node_modules/vite/dist/"
                "node/chunks/dep-BWSbWtLw.js:65621:5)",
                "    at onwarn (file:///var/lib/ci/workspace/node_modules/vite/dist/node/chunks/"
                "dep-BWSbWtLw.js:65284:7)",
                "    at file:///var/lib/ci/workspace/node_modules/rollup/dist/es/shared/"
                "node-entry.js:19474:13",
                "    at Object.logger [as onLog] (file:///var/lib/ci/workspace/node_modules/"
                "rollup/dist/es/shared/node-entry.js:21200:9)")
        npm_error(log, context, "build", "tsc -b && vite build")
        return

    log.add(log.paint("32", "✓") + f" {rng.between(900, 1500)} modules transformed.")
    for name, size in (("index", 812), ("vendor", 1340), ("builds", 96), ("logs", 41)):
        kb = size + rng.below(40)
        log.add(f"dist/assets/{name}-{rng.sha()[:8]}.js  {kb}.{rng.below(99):02d} kB │ gzip: "
                f"{kb // 3}.{rng.below(99):02d} kB")
    log.add(log.paint("32", f"✓ built in {rng.between(8, 30)}.{rng.below(99):02d}s"))
    if plan.revisions:
        pushed = write_docker(log, context, f"{spec.key.lower()}/{spec.slug}",
                              artifact_version(plan), gradle=False,
                              fail=plan.failure == "publish")
        if not pushed:
            jenkins_step_failure(log)


def jest_tests(log, context):
    spec, plan, rng = context.spec, context.plan, log.rng
    fail, skip, total = plan.test_counts
    files = [f"src/{camel(topic)}/{camel(topic)}{part}.test.tsx"
             for topic in spec.topics for part in ("", "Row", "Popover", "Hooks", "Utils")]
    failing = test_positions(rng, fail, max(4, (context.target - log.size) // 400))
    suites = 0

    while suites < 4 or log.size < context.target - 1500:
        path = rng.pick(files)
        failed = suites in failing
        label = log.paint("1;41", " FAIL ") if failed else log.paint("1;42", " PASS ")
        log.add(f"{label} {path} ({rng.between(1, 90) / 10:.1f} s)")
        for _ in range(rng.between(3, 7)):
            log.add(f"    {log.paint('32', '✓')} {rng.pick(TEST_METHODS)} "
                    f"({rng.between(2, 180)} ms)")
        if failed:
            method = rng.pick(TEST_METHODS)
            log.add(f"    {log.paint('31', '✕')} {method} ({rng.between(2, 900)} ms)", "",
                    log.paint("1;31", f"  ● {camel(path.split('/')[1])} › {method}"), "",
                    "    expect(received).toEqual(expected) // deep equality", "",
                    f"    Expected: {log.paint('32', chr(34) + 'SUCCEEDED' + chr(34))}",
                    f"    Received: {log.paint('31', chr(34) + 'INCOMPLETE' + chr(34))}", "",
                    f"      at Object.<anonymous> ({path}:{rng.between(12, 200)}:"
                    f"{rng.between(5, 40)})",
                    "      at Promise.then.completed "
                    "(node_modules/jest-circus/build/utils.js:298:28)",
                    "      at new Promise (<anonymous>)",
                    "      at callAsyncCircusFn (node_modules/jest-circus/build/utils.js:231:10)",
                    "      at _callCircusTest (node_modules/jest-circus/build/run.js:316:40)", "")
        suites += 1
        if suites > 1500:
            break

    failed_suites = len([s for s in failing if s < suites])
    log.add("", f"Test Suites: {failed_suites} failed, {suites - failed_suites} passed, "
            f"{suites} total",
            f"Tests:       {fail} failed, {skip} skipped, {total - fail - skip} passed, "
            f"{total} total",
            f"Time:        {rng.between(20, 160)}.{rng.below(999):03d} s",
            "Ran all test suites.")


def npm_error(log, context, script, command):
    log.add(f"npm error Lifecycle script `{script}` failed with error:",
            "npm error code 1",
            f"npm error path {context.workspace}",
            f"npm error workspace {context.spec.slug}@{context.plan.version}",
            "npm error command failed",
            f"npm error command sh -c {command}")
    jenkins_step_failure(log)


def write_shell(log, context):
    spec, plan, rng = context.spec, context.plan, log.rng
    fail, skip, total = plan.test_counts
    if not plan.revisions:
        log.shell("./scripts/cleanup-stale-agents.sh --older-than 7d")
        for _ in range(rng.between(20, 60)):
            log.add(f"Removing agent linux-build-{rng.between(25, 99)} "
                    f"(idle {rng.between(7, 40)}d, image agent-{rng.sha()[:7]})")
        if plan.result == FAILURE:
            python_traceback(log, "cleanup_agents.py", "PermissionError: [Errno 13] "
                             "Permission denied: '/var/lib/ci/agents/linux-build-31'")
        return

    log.shell("shellcheck scripts/*.sh")
    log.shell("terraform -chdir=terraform fmt -check -recursive")
    log.shell("terraform -chdir=terraform init -backend=false -input=false")
    log.add("Initializing provider plugins...",
            "- Finding hashicorp/aws versions matching \"~> 5.70\"...",
            "- Installing hashicorp/aws v5.74.0...",
            "- Installed hashicorp/aws v5.74.0 (signed by HashiCorp)",
            "Terraform has been successfully initialized!")
    log.shell("terraform -chdir=terraform validate")
    log.add("Success! The configuration is valid.")
    if plan.failure == "compile":
        python_traceback(log, "render_inventory.py", "KeyError: 'availability_zone'")
        return

    log.shell("bats --tap tests")
    log.add(f"1..{total}")
    failing = test_positions(rng, fail, total)
    skipped = test_positions(rng, skip, total)
    for number in range(1, total + 1):
        name = f"{rng.pick(spec.topics)}: {rng.pick(TEST_METHODS)}"
        if number - 1 in failing:
            log.add(f"not ok {number} {name}",
                    f"# (in test file tests/{rng.pick(spec.topics).replace(' ', '_')}.bats, "
                    f"line {rng.between(10, 90)})",
                    "#   `[ \"$status\" -eq 0 ]' failed")
        elif number - 1 in skipped:
            log.add(f"ok {number} {name} # skip needs cloud credentials")
        else:
            log.add(f"ok {number} {name}")
    if plan.failure == "tests":
        python_traceback(log, "report_checks.py", f"SystemExit: {fail} checks failed")
        return

    log.shell("python3 scripts/plan_summary.py terraform/plan.json")
    while log.size < context.target - 600:
        log.add(f"  ~ module.{rng.pick(spec.topics).replace(' ', '_')}.aws_route53_record."
                f"r{rng.between(1, 99)}: ttl {rng.between(60, 300)} -> {rng.between(60, 300)}")
    log.add(f"Plan: {rng.between(0, 4)} to add, {rng.between(0, 9)} to change, 0 to destroy.")
    if plan.failure == "publish":
        python_traceback(log, "upload_plan.py", "urllib.error.HTTPError: HTTP Error 502: "
                         "Bad Gateway")


def python_traceback(log, script, error):
    rng = log.rng
    path = f"/var/lib/ci/workspace/scripts/{script}"
    log.shell(f"python3 scripts/{script}")
    log.add("Traceback (most recent call last):",
            f"  File \"{path}\", line {rng.between(100, 180)}, in <module>", "    main()",
            f"  File \"{path}\", line {rng.between(60, 99)}, in main",
            "    run(options)",
            f"  File \"{path}\", line {rng.between(20, 59)}, in run",
            "    result = step(item)",
            "             ^^^^^^^^^^",
            error)


# --- Writing a set ------------------------------------------------------------------------------


@dataclass
class Options:
    out: str
    builds: Optional[int]
    seed: int
    big_log_mb: float
    now_ms: int
    logs: bool


def bench_projects(total, rng):
    """About twenty projects that share `total` builds unevenly."""
    table = [(p.key, p.slug, p.host, p.toolchain, p.artifacts, p.topics) for p in DEMO_PROJECTS]
    table += list(BENCH_EXTRA_PROJECTS)
    table = table[:max(1, min(BENCH_PROJECTS, total))]

    weights = [rng.between(50, 150) for _ in table]
    counts = [max(1, total * weight // sum(weights)) for weight in weights]
    position = 0
    while sum(counts) != total:
        step = 1 if sum(counts) < total else -1
        if counts[position] + step >= 1:
            counts[position] += step
        position = (position + 1) % len(counts)

    projects = []
    for (key, slug, host, toolchain, artifacts, topics), count in zip(table, counts):
        tests = 48 if toolchain == "shell" else rng.between(150, 600)
        projects.append(ProjectSpec(key, slug, host, toolchain, artifacts,
                                    (rng.between(0, 4), rng.between(0, 12)), topics,
                                    first_number=rng.between(1000, 4000), count=count,
                                    tests=tests, colour=0.0 if toolchain == "shell" else 0.5))
    return projects


def plan_project(spec, index, options, big_log):
    rng = Rng(options.seed * 1000 + index)
    plans = HistoryPlanner(spec, rng).plan(running_count(rng, spec.count))

    if big_log:
        candidates = [plan for plan in plans if plan.result == SUCCESS and plan.branch == "main"]
        if candidates:
            candidates[-1].big_log = True
    if spec.toolchain == "shell" and plans and not any(not plan.revisions for plan in plans):
        # Keep one build without SCM data in every shell project: deck must cope with it.
        force_timer_build(plans)

    schedule(plans, spec, rng, options.now_ms)
    return plans


def force_timer_build(plans):
    plan = next((plan for plan in plans if plan.result == SUCCESS and not plan.pull_request),
                plans[0])
    plan.branch, plan.trigger, plan.revisions = "", "timer", []
    plan.pull_request = None
    plan.tests_reported = False


class SetWriter:
    """Writes files below the output directory and remembers which ones it owns."""

    def __init__(self, root):
        self.root = root
        self.written = []

    def write(self, relative, data):
        path = os.path.join(self.root, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)
        self.written.append(relative)

    def previously_owned(self):
        try:
            with open(os.path.join(self.root, OWNED_FILES), encoding="utf-8") as file:
                return [line.strip() for line in file if line.strip()]
        except FileNotFoundError:
            return []

    def finish(self, previous):
        """Removes files an earlier run wrote that this run did not, then records ownership."""
        current = set(self.written)
        root = os.path.realpath(self.root)
        for relative in previous:
            path = os.path.realpath(os.path.join(root, *relative.split("/")))
            if relative in current or not path.startswith(root + os.sep):
                continue
            if os.path.isfile(path):
                os.remove(path)
            parent = os.path.dirname(path)
            while parent != root and os.path.isdir(parent) and not os.listdir(parent):
                os.rmdir(parent)
                parent = os.path.dirname(parent)

        listing = "".join(f"{relative}\n" for relative in sorted(current))
        with open(os.path.join(self.root, OWNED_FILES), "w", encoding="utf-8",
                  newline="\n") as file:
            file.write(listing)


def dump_builds(documents, readable):
    if readable:
        return (json.dumps(documents, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    # Large benchmark sets: one build per line keeps the file diffable and fast to write.
    lines = ",\n".join(json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                       for document in documents)
    return f"[\n{lines}\n]\n".encode("utf-8")


def generate(options):
    bench = options.builds is not None
    projects = bench_projects(options.builds, Rng(options.seed)) if bench else DEMO_PROJECTS
    if bench:
        big_owner = next((p.slug for p in projects if p.toolchain == "gradle"), None)
    else:
        big_owner = BIG_LOG_PROJECT
    big_bytes = int(options.big_log_mb * 1024 * 1024)

    os.makedirs(options.out, exist_ok=True)
    writer = SetWriter(options.out)
    previous = writer.previously_owned()

    manifest = {
        "name": "benchmark" if bench else "demo",
        "description": (f"Benchmark set: {options.builds} builds over {len(projects)} projects"
                        if bench else "Bundled demo data: five projects on Bitbucket Server, "
                        "GitHub and GitLab, with builds in every state"),
        "scm": {kind: host.base for kind, host in SCM_HOSTS.items()},
    }
    if not bench:
        # The app moves the set's times so that --now is when it loads: the running builds
        # of the demo started minutes ago, whenever it is opened.
        manifest["timesRelativeTo"] = iso_instant(options.now_ms)
    writer.write("manifest.json",
                 (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))

    queries = []
    total = 0
    histories = {}
    for index, spec in enumerate(projects):
        plans = plan_project(spec, index, options, big_bytes > 0 and spec.slug == big_owner)
        histories[spec.slug] = (spec, plans)
        documents = [build_document(spec, plan) for plan in reversed(plans)]
        writer.write(f"{spec.folder}/builds.json", dump_builds(documents, readable=not bench))
        if options.logs:
            write_logs(writer, spec, index, plans, options, big_bytes, bench)
        queries += [(document["scm"][0]["sha1"][:7], document["number"])
                    for document in documents
                    if document["scm"] and document["result"] in QUERYABLE_RESULTS]
        total += len(plans)

    if not bench:
        write_scenarios(writer, options, histories)

    if bench:
        step = max(1, len(queries) // BENCH_QUERIES)
        chosen = queries[::step][:BENCH_QUERIES]
        writer.write("bench-queries.txt",
                     "".join(f"{prefix} {number}\n" for prefix, number in chosen).encode())

    writer.finish(previous)
    return total, len(projects)


def write_logs(writer, spec, index, plans, options, big_bytes, bench):
    previous_sha = None
    for plan in plans:
        rng = Rng((options.seed * 1000 + index) * 100_000 + plan.number % 100_000)
        if bench:
            target = rng.between(1024, 3072)
        else:
            # 2 to 30 KB, most of them small: the square keeps the arithmetic exact everywhere.
            share = rng.fraction()
            target = 2048 + int(share * share * 28 * 1024)
        log = compose_log(spec, plan, rng, target, big_bytes if plan.big_log else 0,
                          previous_sha)
        span = plan.duration_ms
        if plan.running:
            span = max(0, span - rng.between(500, 20_000))  # the next line is still being built
        data = log.render(plan.start_ms, span)
        writer.write(f"{spec.folder}/logs/{spec.build_id(plan.number)}.log", data)
        if plan.revisions:
            previous_sha = plan.revisions[0].commit.sha


# --- Mock scenarios -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ScenarioSpec:
    """A build that `ci-companion serve` plays over the demo set: queued, running with its log
    growing chunk by chunk, then finished; in a loop, each round a new build."""

    name: str
    slug: str  # the project, one of DEMO_PROJECTS
    result: str
    failure: Optional[str]  # as BuildPlan.failure
    pull_request: bool
    queued_ms: int
    running_ms: int
    loop_delay_ms: int
    log_bytes: int  # the size the log grows to
    description: str


DEMO_SCENARIOS = (
    ScenarioSpec("keel-app-main", "keel-app", SUCCESS, None, False, 3000, 30_000, 20_000, 9000,
                 "A keel-app build of main: queued for 3 s, runs about 30 s with its log "
                 "growing every second, then succeeds; a new build starts 20 s later."),
    ScenarioSpec("deck-ui-pr-fails", "deck-ui", FAILURE, "tests", True, 2000, 20_000, 40_000,
                 7000,
                 "A deck-ui pull request build: queued for 2 s, runs about 20 s, then fails "
                 "its tests; a new build starts 40 s later."),
)
SCENARIO_CHUNK_MS = 1000


def scenario_plan(spec, plans, scenario, rng, now_ms):
    """The next build of a project's history, planned like the others but played live."""
    number = spec.first_number + spec.count
    index = spec.count
    major, minor = spec.first_version
    version = f"{major}.{minor + index // 30}.{(index % 30) // 5}"
    host = SCM_HOSTS[spec.host]

    if scenario.pull_request:
        used = [plan.pull_request for plan in plans if plan.pull_request is not None]
        pull = max(used, default=rng.between(40, 600)) + rng.between(1, 4)
        topic = rng.pick(spec.topics)
        branch = f"feature/{topic.replace(' ', '-')}-{rng.pick(BRANCH_WORDS)}"
        author = rng.pick(AUTHORS)
        head = Commit(rng.sha(), author, rng.pick(MESSAGE_FORMS).format(
            topic=topic, condition=rng.pick(CONDITIONS), case=rng.pick(CASES),
            error=rng.pick(ERRORS)))
        revisions = [Revision(host.pull_ref.format(number=pull), branch, head)]
        plan = BuildPlan(index, number, branch, "pr", revisions, version, pull_request=pull)
    else:
        author = rng.pick(AUTHORS)
        head = Commit(rng.sha(), author, rng.pick(MESSAGE_FORMS).format(
            topic=rng.pick(spec.topics), condition=rng.pick(CONDITIONS), case=rng.pick(CASES),
            error=rng.pick(ERRORS)))
        plan = BuildPlan(index, number, "main", "scm",
                         [Revision("refs/heads/main", "main", head)], version)

    total = spec.tests + index // 3
    fail = rng.between(1, 4) if scenario.failure == "tests" else 0
    plan.result = scenario.result
    plan.failure = scenario.failure
    plan.test_counts = (fail, rng.below(5), total)
    plan.tests_reported = True
    plan.start_ms = now_ms - now_ms % 1000
    plan.duration_ms = scenario.running_ms
    head.time_ms = plan.start_ms - rng.between(60, 900) * 1000
    return plan


def write_scenarios(writer, options, histories):
    """scenarios/<name>.json and the logs they play, in the fixture format's scenario shape."""
    for position, scenario in enumerate(DEMO_SCENARIOS):
        spec, plans = histories[scenario.slug]
        rng = Rng(options.seed * 1000 + 500 + position)
        plan = scenario_plan(spec, plans, scenario, rng, options.now_ms)
        previous = next((p.revisions[0].commit.sha for p in reversed(plans) if p.revisions),
                        None)

        log_path = f"scenarios/logs/{spec.build_id(plan.number)}.log"
        data = b""
        if options.logs:
            log = compose_log(spec, plan, rng, scenario.log_bytes, 0, previous)
            data = log.render(plan.start_ms, plan.duration_ms)
            writer.write(log_path, data)
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)

        timeline = [{"state": "queued"},
                    {"afterMs": scenario.queued_ms, "state": "running"}]
        played = 0
        if lines:
            # A chunk a second, the last one a little before the result.
            per_chunk = -(-lines // max(1, scenario.running_ms // SCENARIO_CHUNK_MS - 1))
            chunks = -(-lines // per_chunk)
            timeline.append({"afterMs": SCENARIO_CHUNK_MS // 2, "log": {
                "file": log_path, "lines": [1, lines], "chunkLines": per_chunk,
                "everyMs": SCENARIO_CHUNK_MS}})
            played = SCENARIO_CHUNK_MS // 2 + (chunks - 1) * SCENARIO_CHUNK_MS
        timeline.append({"afterMs": max(0, scenario.running_ms - played),
                         "result": scenario.result})

        document = {
            "description": scenario.description,
            "autostart": True,
            "loop": {"delayMs": scenario.loop_delay_ms, "newBuild": True, "keep": 3},
            "build": build_document(spec, plan),
            "timeline": timeline,
        }
        writer.write(f"scenarios/{scenario.name}.json",
                     (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


# --- Checking a set -----------------------------------------------------------------------------

ISO_Z = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6}|\.\d{9})?Z")
PATH_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
DIGITS = re.compile(r"\d+")
SHA1 = re.compile(r"[0-9a-f]{40}")
BUILD_KEYS = ("building", "fullDisplayName", "name", "number", "duration", "timestamp", "result",
              "artifacts", "testResults", "url", "id", "scm", "properties")
ALWAYS_PRESENT = ("building", "number", "artifacts", "scm", "properties")
STRING_FIELDS = ("fullDisplayName", "name", "timestamp", "result", "url", "id")
REVISION_KEYS = ("name", "branch", "sha1", "committer", "compareUrl", "message", "timestamp",
                 "remoteUrl")
ARTIFACT_KEYS = ("fileName", "displayPath", "relativePath", "reference", "name", "type",
                 "version", "url", "metadata", "decorated")
TEST_KEYS = ("failCount", "skipCount", "totalCount", "urlName")
SCENARIO_KEYS = ("description", "autostart", "loop", "builds", "from", "build", "timeline")
STEP_KEYS = {"afterMs", "state", "log", "everyMs", "result"}


def is_int(value):
    return type(value) is int


def valid_iso(text):
    if not isinstance(text, str) or not ISO_Z.fullmatch(text):
        return False
    try:
        time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def iso_to_ms(text):
    seconds = calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))
    fraction = text[20:-1]
    return seconds * 1000 + (int(fraction[:3].ljust(3, "0")) if fraction else 0)


def decodable(text):
    """deck shows decodeURIComponent(fileName); a stray '%' would throw there."""
    return all(re.fullmatch(r"[0-9A-Fa-f]{2}", text[at + 1:at + 3] or "")
               for at in range(len(text)) if text[at] == "%")


class SetChecker:
    """Verifies a fixture set against the wire rules of the igor /ci contract."""

    def __init__(self, root, expect_logs):
        self.root = root
        self.expect_logs = expect_logs
        self.problems = []
        self.ids = {}
        self.hosts = set()
        self.results = Counter()
        self.projects = set()
        self.queryable = set()  # (commit prefix, number) of builds with a revision
        self.logs = 0
        self.largest_log = (0, "")
        self.scenario_ids = {}
        self.scenarios = 0

    def problem(self, where, text):
        self.problems.append(f"{where}: {text}")

    def run(self):
        self.check_manifest()
        for path in self.build_files():
            self.check_file(path)
        self.check_scenarios()
        self.check_queries()
        return not self.problems

    def build_files(self):
        found = []
        for folder, directories, files in os.walk(self.root):
            directories.sort()
            relative_folder = os.path.relpath(folder, self.root)
            if relative_folder.split(os.sep)[0] == "scenarios":
                continue
            for name in sorted(files):
                if name.endswith(".json") and not (relative_folder == "." and
                                                   name == "manifest.json"):
                    found.append(os.path.join(folder, name))
        if not found:
            self.problem(self.root, "no build files")
        return found

    def check_manifest(self):
        path = os.path.join(self.root, "manifest.json")
        if not os.path.exists(path):
            self.hosts = None  # the manifest is optional; then no host to compare links with
            return
        try:
            with open(path, encoding="utf-8") as file:
                manifest = json.load(file)
        except (OSError, ValueError) as error:
            self.problem("manifest.json", f"unreadable: {error}")
            return
        if not isinstance(manifest.get("name"), str):
            self.problem("manifest.json", "name must be a string")
        scm = manifest.get("scm")
        if not isinstance(scm, dict) or not scm:
            self.problem("manifest.json", "scm must be a map of SCM type to base URL")
            return
        for kind, base in scm.items():
            if kind not in ("stash", "gitHub", "gitLab", "bitBucket"):
                self.problem("manifest.json", f"scm key {kind!r} is not one igor answers with")
            if not isinstance(base, str) or not base.startswith(("http://", "https://")):
                self.problem("manifest.json", f"scm {kind} must be an absolute URL")
            else:
                self.hosts.add(urlsplit(base).hostname)

    def check_file(self, path):
        where = os.path.relpath(path, self.root)
        try:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
        except (OSError, ValueError) as error:
            self.problem(where, f"not valid JSON: {error}")
            return
        builds = data if isinstance(data, list) else [data]
        numbers = []
        for position, build in enumerate(builds):
            label = f"{where}: #{position}"
            if isinstance(build, dict) and isinstance(build.get("id"), str):
                label = f"{where}: {build['id']}"
            if not isinstance(build, dict):
                self.problem(label, "a build must be a JSON object")
                continue
            self.check_build(label, build, os.path.dirname(path))
            if is_int(build.get("number")):
                numbers.append(build["number"])
        if any(newer <= older for newer, older in zip(numbers, numbers[1:])):
            self.problem(where, "builds must be listed newest first")

    def check_build(self, where, build, folder, scenario=False):
        """A build of the set, or (scenario=True) the base build of a scenario: the same wire
        rules, but it is not counted among the set's builds and its log is named by the
        timeline."""
        for key in build:
            if key not in BUILD_KEYS:
                self.problem(where, f"unknown key {key!r}")
            elif build[key] is None:
                self.problem(where, f"{key} is null; igor leaves null fields out")
        for key in ALWAYS_PRESENT:
            if key not in build:
                self.problem(where, f"{key} must always be present")
        for key in STRING_FIELDS:
            if key in build and not isinstance(build[key], str):
                self.problem(where, f"{key} must be a string")

        building, result = build.get("building"), build.get("result")
        number, duration = build.get("number"), build.get("duration")
        if not isinstance(building, bool):
            self.problem(where, "building must be a boolean")
        if not is_int(number) or not 0 <= number <= INT32_MAX:
            self.problem(where, "number must be an integer within int32 (keel reads an Int)")
        if "duration" in build and (not is_int(duration) or not 0 <= duration <= INT32_MAX):
            self.problem(where, "duration must be milliseconds within int32")
        if "timestamp" in build and not DIGITS.fullmatch(str(build["timestamp"])):
            self.problem(where, "timestamp must be a string of epoch milliseconds")
        if result not in RESULTS:
            self.problem(where, f"result {result!r} is not a Result name")
        elif building != (result == BUILDING):
            self.problem(where, "building must be true exactly when result is BUILDING")
        if not scenario:
            self.results[result] += 1

        build_id = build.get("id")
        if not isinstance(build_id, str) or not PATH_SAFE.fullmatch(build_id):
            self.problem(where, "id must be path-safe ([A-Za-z0-9._~-])")
        elif build_id in self.ids or build_id in self.scenario_ids:
            self.problem(where, "id also used in "
                         f"{self.ids.get(build_id) or self.scenario_ids.get(build_id)}")
        elif scenario:
            self.scenario_ids[build_id] = where
        else:
            self.ids[build_id] = where
            self.check_log(where, folder, build_id)

        self.check_properties(where, build)
        self.check_revisions(where, build.get("scm"))
        self.check_artifacts(where, build.get("artifacts"), number)
        self.check_tests(where, build.get("testResults", []), result)
        if scenario:
            return
        properties = build.get("properties") if isinstance(build.get("properties"), dict) else {}
        self.projects.add((properties.get("projectKey"), properties.get("repoSlug")))
        scm = build.get("scm") if isinstance(build.get("scm"), list) else []
        if scm and isinstance(scm[0], dict) and is_int(number):
            self.queryable.add((str(scm[0].get("sha1"))[:7], number))

    def check_log(self, where, folder, build_id):
        path = os.path.join(folder, "logs", f"{build_id}.log")
        if not os.path.isfile(path):
            if self.expect_logs:
                self.problem(where, f"log missing: {os.path.relpath(path, self.root)}")
            return
        self.logs += 1
        size = os.path.getsize(path)
        if size > self.largest_log[0]:
            self.largest_log = (size, build_id)

    def check_properties(self, where, build):
        properties = build.get("properties")
        if not isinstance(properties, dict):
            self.problem(where, "properties must be an object")
            return
        for key, value in properties.items():
            if not isinstance(value, str):
                self.problem(where, f"properties.{key} must be a string (keel casts to String)")
        for key in ("projectKey", "repoSlug"):
            if not properties.get(key):
                self.problem(where, f"properties.{key} must name the SCM project and repo")

        started, started_ts = properties.get("startedAt"), properties.get("startedTs")
        if not valid_iso(started):
            self.problem(where, "properties.startedAt must be ISO-8601 UTC ending in Z")
        if not isinstance(started_ts, str) or not DIGITS.fullmatch(started_ts):
            self.problem(where, "properties.startedTs must be epoch milliseconds as a string")
        elif valid_iso(started) and iso_to_ms(started) != int(started_ts):
            self.problem(where, "properties.startedAt and startedTs disagree")
        if build.get("timestamp") not in (None, started_ts):
            self.problem(where, "timestamp should be the start time, as startedTs")

        completed, completed_ts = properties.get("completedAt"), properties.get("completedTs")
        if build.get("building"):
            if completed is not None or completed_ts is not None:
                self.problem(where, "a running build has no completedAt/completedTs")
        elif not valid_iso(completed) or not DIGITS.fullmatch(str(completed_ts)):
            self.problem(where, "a finished build needs completedAt (ISO, Z) and completedTs")
        elif iso_to_ms(completed) != int(completed_ts):
            self.problem(where, "properties.completedAt and completedTs disagree")
        elif DIGITS.fullmatch(str(started_ts)) and is_int(build.get("duration")) and \
                int(completed_ts) - int(started_ts) != build["duration"]:
            self.problem(where, "duration must equal completedTs - startedTs")

        pull_number = properties.get("pullRequestNumber")
        pull_url = properties.get("pullRequestUrl")
        if pull_number is None or pull_url is None:
            self.problem(where, "pullRequestNumber and pullRequestUrl must be present")
        elif (pull_number == "") != (pull_url == ""):
            self.problem(where, "pullRequestNumber and pullRequestUrl must be both set or both ''")
        elif pull_number and not DIGITS.fullmatch(pull_number):
            self.problem(where, "pullRequestNumber must be digits")

    def check_revisions(self, where, revisions):
        if not isinstance(revisions, list):
            self.problem(where, "scm must be an array")
            return
        for revision in revisions:
            if not isinstance(revision, dict):
                self.problem(where, "scm entries must be objects")
                continue
            for key, value in revision.items():
                if key not in REVISION_KEYS:
                    self.problem(where, f"unknown scm key {key!r}")
                elif key not in ("committer", "timestamp") and not isinstance(value, str):
                    self.problem(where, f"scm {key} must be a string")
            if not SHA1.fullmatch(str(revision.get("sha1"))):
                self.problem(where, "scm sha1 must be 40 hex digits")
            if not isinstance(revision.get("committer"), str):
                self.problem(where, "scm committer must be a string (deck reads its length)")
            if revision.get("timestamp") is not None and not valid_iso(revision["timestamp"]):
                self.problem(where, "scm timestamp must be ISO-8601 UTC (keel reads an Instant)")
            compare = revision.get("compareUrl")
            if compare is not None and self.hosts is not None and \
                    urlsplit(str(compare)).hostname not in self.hosts:
                self.problem(where, "scm compareUrl must be on a host of manifest scm")

    def check_artifacts(self, where, artifacts, number):
        if not isinstance(artifacts, list):
            self.problem(where, "artifacts must be an array (deck maps over it)")
            return
        for artifact in artifacts:
            if not isinstance(artifact, dict):
                self.problem(where, "artifacts must be objects")
                continue
            for key, value in artifact.items():
                if key not in ARTIFACT_KEYS:
                    self.problem(where, f"unknown artifact key {key!r}")
                elif key == "decorated":
                    if value is not False:
                        self.problem(where, "artifact decorated must be false")
                elif key == "metadata":
                    if not isinstance(value, dict) or \
                            not all(isinstance(item, str) for item in value.values()):
                        self.problem(where, "artifact metadata values must be strings")
                    elif value.get("buildNumber", str(number)) != str(number):
                        self.problem(where, "artifact metadata buildNumber must be the build's")
                elif not isinstance(value, str):
                    self.problem(where, f"artifact {key} must be a string")
            if "decorated" not in artifact:
                self.problem(where, "artifact decorated must always be written")
            if not decodable(str(artifact.get("fileName", ""))):
                self.problem(where, "artifact fileName must survive decodeURIComponent")

    def check_tests(self, where, tests, result):
        if not isinstance(tests, list):
            self.problem(where, "testResults must be an array")
            return
        failures = 0
        for report in tests:
            if not isinstance(report, dict) or set(report) != set(TEST_KEYS):
                self.problem(where, f"testResults entries need exactly {', '.join(TEST_KEYS)}")
                continue
            counts = [report[key] for key in TEST_KEYS[:3]]
            if not all(is_int(count) and count >= 0 for count in counts):
                self.problem(where, "test counts must be non-negative integers")
                continue
            if counts[0] + counts[1] > counts[2]:
                self.problem(where, "failCount + skipCount exceeds totalCount")
            if report["urlName"] is not None and not isinstance(report["urlName"], str):
                self.problem(where, "urlName must be a string or null")
            failures += counts[0]
        if result == UNSTABLE and tests and not failures:
            self.problem(where, "an UNSTABLE build must report failing tests")
        if result == SUCCESS and failures:
            self.problem(where, "a SUCCESS build must not report failing tests")

    def check_scenarios(self):
        """scenarios/*.json: the shape docs/fixture-format.md gives them, a base build that
        keeps the wire rules, and log line ranges that exist."""
        folder = os.path.join(self.root, "scenarios")
        if not os.path.isdir(folder):
            return
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json"):
                continue
            where = f"scenarios/{name}"
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as file:
                    document = json.load(file)
            except (OSError, ValueError) as error:
                self.problem(where, f"not valid JSON: {error}")
                continue
            if not isinstance(document, dict):
                self.problem(where, "a scenario is a JSON object")
                continue
            for key in document:
                if key not in SCENARIO_KEYS:
                    self.problem(where, f"unknown key {key!r}")
            if not isinstance(document.get("autostart", True), bool):
                self.problem(where, "autostart must be true or false")
            loop = document.get("loop", False)
            if not isinstance(loop, bool) and not (
                    isinstance(loop, dict) and set(loop) <= {"delayMs", "newBuild", "keep"}):
                self.problem(where, "loop must be a boolean or {delayMs, newBuild, keep}")

            items = document.get("builds")
            if items is None:
                items = [{key: document[key] for key in ("from", "build", "timeline")
                          if key in document}]
            if not isinstance(items, list) or not items:
                self.problem(where, "builds must be a non-empty list")
                continue
            for position, item in enumerate(items):
                self.check_scenario_build(f"{where}: builds[{position}]", item, folder)
            self.scenarios += 1

    def check_scenario_build(self, where, item, folder):
        build = item.get("build") if isinstance(item, dict) else None
        if not isinstance(build, dict):
            self.problem(where, "build must be an object")
            return
        if "from" not in item:
            self.check_build(where, build, folder, scenario=True)
        steps = item.get("timeline")
        if not isinstance(steps, list) or not steps:
            self.problem(where, "timeline must be a non-empty list of steps")
            return

        final = None
        for position, step in enumerate(steps):
            here = f"{where}.timeline[{position}]"
            if not isinstance(step, dict) or not set(step) <= STEP_KEYS:
                self.problem(here, f"a step is an object of {', '.join(sorted(STEP_KEYS))}")
                continue
            if len([key for key in ("state", "log", "result") if key in step]) != 1:
                self.problem(here, "a step has exactly one of state, log or result")
            if not is_int(step.get("afterMs", 0)) or step.get("afterMs", 0) < 0:
                self.problem(here, "afterMs must be whole milliseconds")
            if final is not None:
                self.problem(here, "nothing can follow the result")
            if "state" in step and step["state"] not in ("queued", "running"):
                self.problem(here, "state is queued or running")
            if "result" in step:
                final = step["result"]
                if final not in RESULTS or final == BUILDING:
                    self.problem(here, f"result {final!r} is not a final Result name")
            if isinstance(step.get("log"), dict):
                self.check_scenario_log(here, step["log"])
        if final is not None and build.get("result") not in (None, final):
            self.problem(where, f"the build says {build.get('result')} but the timeline ends "
                                f"in {final}")

    def check_scenario_log(self, where, log):
        path = os.path.join(self.root, *str(log.get("file", "")).split("/"))
        if not os.path.isfile(path):
            self.problem(where, f"log file missing: {log.get('file')}")
            return
        with open(path, "rb") as file:
            data = file.read()
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        first, last = (log.get("lines") or [1, lines])[:2]
        if not (is_int(first) and is_int(last) and 1 <= first <= last <= lines):
            self.problem(where, f"lines {log.get('lines')} outside {log.get('file')} "
                                f"({lines} lines)")
        if not is_int(log.get("chunkLines", 1)) or log.get("chunkLines", 1) < 1:
            self.problem(where, "chunkLines must be at least 1")

    def check_queries(self):
        path = os.path.join(self.root, "bench-queries.txt")
        if not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as file:
            for line_number, line in enumerate(file, start=1):
                parts = line.split()
                if len(parts) != 2 or not parts[1].isdigit() or \
                        (parts[0], int(parts[1])) not in self.queryable:
                    self.problem(f"bench-queries.txt:{line_number}",
                                 f"{line.strip()!r} names no build with that commit and number")

    def summary(self):
        results = ", ".join(f"{result} {self.results[result]}" for result in RESULTS)
        size, owner = self.largest_log
        scenarios = f"; {self.scenarios} scenarios" if self.scenarios else ""
        return (f"{len(self.ids)} builds in {len(self.projects)} projects ({results}); "
                f"{self.logs} logs, largest {size / 1048576:.2f} MiB ({owner or 'none'})"
                f"{scenarios}")


# --- Command line -------------------------------------------------------------------------------

EPILOG = """\
benchmark queries:
  keel looks a build up by commit and build number, e.g.
    GET /ci/builds?commitId=2626f5f&buildNumber=1042&completionStatus=INCOMPLETE,SUCCEEDED,...
  With --builds N the set gets DIR/bench-queries.txt: about 100 lines "<commitPrefix7>
  <buildNumber>", each naming an existing build that has at least one revision and a
  result keel's status filter surely covers (SUCCESS, FAILURE, ABORTED, BUILDING), spread
  evenly over the set. Any other pair comes from a builds.json: the first 7 characters
  of scm[0].sha1 and number (skip builds whose scm is empty).

examples:
  generate_demo.py --out build/demo                        the bundled demo set
  generate_demo.py --out /tmp/bench --builds 10000 --no-logs
  generate_demo.py --check build/demo
  generate_demo.py --check /tmp/bench --no-logs
"""


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="generate_demo.py", description=__doc__,
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--out", metavar="DIR",
                        help="write a fixture set into DIR (created; files of an earlier run "
                             "that are no longer written are removed)")
    action.add_argument("--check", metavar="DIR",
                        help="verify an existing set and exit non-zero on any problem")
    parser.add_argument("--builds", type=int, metavar="N",
                        help="benchmark mode: N builds over about 20 projects "
                             "(default: the bundled demo set, about 320 builds)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=f"seed of every random choice (default {DEFAULT_SEED})")
    parser.add_argument("--big-log-mb", type=float, metavar="M",
                        help="size in MiB of the one very large log, 0 for none (default "
                             f"{DEFAULT_BIG_LOG_MB} for the demo set, 0 with --builds)")
    parser.add_argument("--now", type=int, default=DEFAULT_NOW_MS, metavar="EPOCH_MS",
                        help=f"the moment the newest builds run at (default {DEFAULT_NOW_MS}, "
                             "2026-11-30T12:00:00Z)")
    parser.add_argument("--no-logs", action="store_true",
                        help="write no logs (with --check: do not expect them)")
    arguments = parser.parse_args(argv)

    if arguments.builds is not None and arguments.builds < 1:
        parser.error("--builds must be at least 1")
    if arguments.big_log_mb is not None and arguments.big_log_mb < 0:
        parser.error("--big-log-mb must not be negative")
    if arguments.now < 0:
        parser.error("--now must be epoch milliseconds")
    return arguments


def main(argv=None):
    arguments = parse_arguments(argv)

    if arguments.check:
        checker = SetChecker(arguments.check, expect_logs=not arguments.no_logs)
        healthy = checker.run()
        for problem in checker.problems:
            print(problem)
        print(("ok: " if healthy else f"{len(checker.problems)} problems; ") + checker.summary())
        return 0 if healthy else 1

    big_log_mb = arguments.big_log_mb
    if big_log_mb is None:
        big_log_mb = 0 if arguments.builds is not None else DEFAULT_BIG_LOG_MB
    options = Options(out=arguments.out, builds=arguments.builds, seed=arguments.seed,
                      big_log_mb=big_log_mb, now_ms=arguments.now, logs=not arguments.no_logs)
    try:
        builds, projects = generate(options)
    except OSError as error:
        print(f"generate_demo.py: cannot write {options.out}: {error}", file=sys.stderr)
        return 1
    print(f"wrote {builds} builds in {projects} projects to {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

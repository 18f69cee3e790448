"""Edits through the memlens module: previews equal memlens-cli project edit's, commit, undo and
redo change the memory as previewed, pruning equals memlens-cli project prune's, and a Project's
changes are journaled in its file."""
import os
import re
import shutil
import subprocess

import pytest

import memlens

EDIT = {"relabel_vector": "And God said", "class": "unto"}


@pytest.fixture(scope="module")
def corpus(kjv_slice):
    return memlens.Corpus(kjv_slice)


@pytest.fixture(scope="module")
def project_file(kjv_slice, tmp_path_factory):
    """A project made by memlens-cli with the options the memories below are trained with."""
    path = tmp_path_factory.mktemp("project") / "kjv.memlens"
    subprocess.run([os.environ["MEMLENS_CLI"], "project", "create", str(path), "--model", "ib1",
                    "--width", "3", kjv_slice], check=True, capture_output=True)
    return path


def cli_lines(*args):
    done = subprocess.run([os.environ["MEMLENS_CLI"], "project", *map(str, args)], check=True,
                          capture_output=True, text=True)
    return done.stdout.splitlines()


def cli_changes(project, *edit):
    """The probe tokens `memlens-cli project edit --preview` says flip, as preview rows."""
    rows = []
    for line in cli_lines("edit", project, *edit, "--preview")[1:]:
        source, old, new = re.fullmatch(r"  source (\d+): (.*) -> (.*)", line).groups()
        rows.append({"source": int(source), "old": old, "new": new})
    return rows


def test_preview_equals_cli(corpus, project_file):
    memory = memlens.train(corpus, model="ib1", width=3, max_test=0)  # the probe: all of test
    preview = memory.preview(EDIT)
    expected = cli_changes(project_file, "--relabel-vector", "And God said", "--class", "unto")
    assert preview.changed == expected and len(expected) > 0
    assert preview.kind == "relabel-vector"
    assert preview.slots[0] == preview.slots[1]


def test_commit_undo_redo(corpus):
    memory = memlens.train(corpus, model="ib1", width=3)
    before = memory.predict("And God said")
    preview = memory.preview(EDIT)
    assert memory.predict("And God said").token == before.token  # a preview changes nothing
    memory.commit(preview)
    edited = memory.predict("And God said")
    assert edited.token == "unto" and edited.distance == 0.0
    with pytest.raises(ValueError, match="preview again"):
        memory.commit(preview)  # stale: the memory changed since
    memory.undo()
    again = memory.predict("And God said")
    assert (again.token, again.probability, again.distribution) == \
        (before.token, before.probability, before.distribution)
    memory.redo()
    assert memory.predict("And God said").token == "unto"
    other = memlens.train(corpus, model="ib1", width=3)
    with pytest.raises(ValueError, match="another memory"):
        other.commit(memory.preview(EDIT))


@pytest.mark.parametrize("strategy,keywords,flags", [
    ("count", {"min_count": 2}, ["--min-count", 2]),
    ("prefix", {"instances": 500}, ["--instances", 500]),
    # The census strategies read the validation part, which the others never copy out.
    ("negative-credit", {}, []),
])
def test_prune_equals_cli(corpus, project_file, tmp_path, strategy, keywords, flags):
    copy = tmp_path / "pruned.memlens"
    shutil.copy(project_file, copy)
    _, row = cli_lines("prune", copy, "--strategy", strategy, *flags)[:2]
    note, slots, accuracy, _ = row.split("\t")
    memory = memlens.train(corpus, model="ib1", width=3, max_test=0)
    report = memory.prune(strategy, **keywords)
    assert report["edit"] == note
    assert "%d -> %d" % report["slots"] == slots
    project = memlens.Project(str(project_file))
    pruned = project.prune(strategy, **keywords)
    assert "%.4f -> %.4f" % (pruned["before"]["accuracy"], pruned["after"]["accuracy"]) == accuracy
    assert pruned["slots"] == report["slots"]
    project.undo()  # leaves the shared project file as it was
    assert project.edits == []


def test_project_journals_every_change(project_file, tmp_path):
    path = tmp_path / "journal.memlens"
    shutil.copy(project_file, path)
    project = memlens.Project(str(path))
    slots = project.slots
    project.commit(project.preview({"delete_vector": "And God said"}))
    assert project.slots == slots - 1
    del project
    reopened = memlens.Project(str(path))
    assert reopened.slots == slots - 1 and reopened.edits == ["delete-vector"]
    reopened.undo()
    assert memlens.Project(str(path)).slots == slots


def test_bad_edits_raise(corpus, tmp_path):
    memory = memlens.train(corpus, model="igtree", width=3)
    with pytest.raises(ValueError, match="'Xyzzy' is not in the corpus vocabulary"):
        memory.preview({"delete_vector": "And Xyzzy said"})
    with pytest.raises(ValueError, match="relabel_vector needs \"class\""):
        memory.preview({"relabel_vector": "And God said"})
    with pytest.raises(ValueError, match="no key 'drop'"):
        memory.preview({"drop": 3})
    with pytest.raises(ValueError, match="one of its keys"):
        memory.preview({"delete_instance": 3, "remove_document": 0})
    with pytest.raises(ValueError):
        memory.preview({})
    with pytest.raises(ValueError):
        memory.preview({"delete_vector": "God said"})  # not `width` tokens
    with pytest.raises(ValueError, match="strategy must be"):
        memory.prune("smallest")
    with pytest.raises(TypeError, match="unexpected keyword argument 'minimum'"):
        memory.prune("count", minimum=3)
    with pytest.raises(ValueError, match="count-vote"):
        memlens.train(corpus, model="vector", width=2, dims=0).preview(EDIT)
    with pytest.raises(ValueError, match="nothing to undo"):
        memory.undo()
    with pytest.raises(OSError):
        memlens.Project(str(tmp_path / "none.memlens"))

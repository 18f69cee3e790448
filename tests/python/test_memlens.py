"""The memlens module against memlens-cli on the same corpus and options, its batch path against
one-by-one predictions, Ctrl+C, bad input and object lifetimes."""
import gc
import os
import signal
import threading

import numpy
import pytest

import memlens

CONTEXTS = ["In the beginning God", "and the earth was", "And God said , Let",
            "unto the LORD", "the sons of", "zzz unknown words here", ""]


@pytest.fixture(scope="module")
def corpus(kjv_slice):
    return memlens.Corpus(kjv_slice)


@pytest.fixture(scope="module")
def ib1(corpus):
    return memlens.train(corpus, model="ib1", width=3, k=2)


def test_corpus_stats_equal_cli(corpus, kjv_slice, cli):
    assert corpus.stats() == cli("corpus", "stats", "--json", kjv_slice)


@pytest.mark.parametrize("model", ["ib1", "igtree", "tribl2"])
def test_evaluate_equals_cli(corpus, kjv_slice, cli, model):
    record = memlens.evaluate(corpus, model=model, width=3, max_test=1500, split=(0.7, 0.2),
                              seed=3)
    expected = cli("eval", "--json", "--model", model, "--width", 3, "--max-test", 1500,
                   "--train", 0.7, "--validation", 0.2, "--seed", 3, kjv_slice)
    for key in ("corpus", "tokeniser", "instances", "model", "split", "smoothing", "sizes",
                "test", "baseAlone", "bands"):  # all but the date and the timings
        assert record[key] == expected[key], key


@pytest.mark.parametrize("model", ["ib1", "igtree", "tribl2"])
def test_explain_equals_cli(corpus, kjv_slice, cli, model):
    memory = memlens.train(corpus, model=model, width=3, k=2)
    for context in CONTEXTS[:4]:
        trace = memory.explain(context)
        expected = cli("explain", "--json", "--model", model, "--width", 3, "-k", 2,
                       "--context", context, kjv_slice)
        assert trace.data == expected
        assert trace["prediction"] == memory.predict(context).token


def test_prediction_is_the_traced_vote(ib1):
    for context in CONTEXTS:
        p = ib1.predict(context)
        trace = ib1.explain(context)
        assert p.token == trace["prediction"]
        assert p.distance == trace["distance"]
        assert p.distribution == {v["token"]: v["weight"] for v in trace["votes"]}
        assert list(p.distribution.values()) == sorted(p.distribution.values(), reverse=True)
        assert 0.0 < p.probability <= 1.0
        token, probability, distribution, distance = p
        assert (token, probability, distance) == (p.token, p.probability, p.distance)


def test_generate_equals_cli(corpus, kjv_slice, cli):
    memory = memlens.train(corpus, model="igtree", width=4)
    for top_k, seed in ((None, 1), (5, 7)):
        got = memory.generate("And God said", max_new_tokens=12, top_k=top_k, seed=seed)
        expected = cli("generate", "--json", "--width", 4, "--prompt", "And God said",
                       "--tokens", 12, "--top-k", top_k or 0, "--sample-seed", seed, kjv_slice)
        assert got == expected


def test_batch_equals_one_by_one(ib1, kjv_slice):
    with open(kjv_slice, encoding="utf-8") as f:
        lines = [line.split() for line in f][:300]
    contexts = [" ".join(words[: 1 + i % len(words)]) for i, words in enumerate(lines) if words]
    contexts += CONTEXTS
    batch = ib1.predict_batch(contexts)
    assert len(batch) == len(contexts) == len(batch.tokens)
    assert isinstance(batch.probabilities, numpy.ndarray)
    assert batch.probabilities.dtype == numpy.float64 and batch.distances.shape == (len(contexts),)
    for i, context in enumerate(contexts):
        one = ib1.predict(context)
        assert (batch.tokens[i], batch.probabilities[i], batch.distances[i]) == \
            (one.token, one.probability, one.distance), context
    assert len(ib1.predict_batch([])) == 0


def test_memory_outlives_its_corpus(kjv_slice):
    corpus = memlens.Corpus([kjv_slice])
    memory = memlens.train(corpus, model="ib1", width=2)
    expected = memory.explain("the earth").json
    del corpus
    gc.collect()
    assert memory.explain("the earth").json == expected  # provenance reads the corpus text
    assert memory.predict_batch(["the earth"]).tokens == [memory.predict("the earth").token]


def test_progress_callback_runs_on_the_callers_thread(kjv_slice):
    calls = []
    caller = threading.get_ident()
    corpus = memlens.Corpus(kjv_slice)
    memlens.train(corpus, model="ib1", width=3,
                  progress=lambda f, stage: calls.append((f, stage, threading.get_ident())))
    assert calls, "training the KJV slice reports progress"
    assert calls[-1][0] == 1.0 and calls[-1][1].startswith("evaluating"), \
        "a finished job reports its end"
    assert all(0.0 <= f <= 1.0 and isinstance(s, str) and t == caller for f, s, t in calls)


def test_an_exception_in_the_callback_cancels(corpus):
    def fail(fraction, stage):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        memlens.evaluate(corpus, model="ib1", progress=fail)


def test_ctrl_c_cancels_a_long_training(kjv_path):
    corpus = memlens.Corpus(kjv_path)
    # IB1 scored on the whole KJV test part takes tens of seconds; Ctrl+C comes after 0.5 s.
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    # The last stage at each fraction. A builtin, not a lambda: Python runs signal handlers
    # between bytecodes, so a Python callback would let Ctrl+C through whatever the module did.
    last_stage_at = {}
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            memlens.evaluate(corpus, model="ib1", width=4, k=3, max_test=0,
                             progress=last_stage_at.__setitem__)
    finally:
        timer.cancel()
    # Cancelled inside the job, not after it: the evaluation never reported its end.
    assert last_stage_at and last_stage_at.get(1.0) != "evaluating"
    # The module is usable after the cancel.
    assert memlens.evaluate(corpus, model="igtree", width=2, max_test=100)["test"]["tokens"] == 100


def test_bad_input_raises(corpus, ib1, tmp_path):
    with pytest.raises(ValueError, match="model must be ib1, igtree, tribl2 or vector, got 'knn'"):
        memlens.train(corpus, model="knn")
    with pytest.raises(ValueError, match="width must be between 1 and 32"):
        memlens.train(corpus, width=0)
    with pytest.raises(ValueError, match="weighting must be"):
        memlens.evaluate(corpus, weighting="gain")
    with pytest.raises(ValueError, match="split"):
        memlens.evaluate(corpus, split=(0.9, 0.5))
    with pytest.raises(TypeError, match="unexpected keyword argument 'widht'"):
        memlens.train(corpus, widht=3)
    with pytest.raises(TypeError, match="width"):
        memlens.train(corpus, width="four")
    with pytest.raises(OSError, match="nothing.txt"):
        memlens.Corpus(str(tmp_path / "nothing.txt"))
    with pytest.raises(ValueError, match="tokeniser must be word, gpt2 or spaces"):
        memlens.Corpus(str(tmp_path), tokeniser="bpe")
    with pytest.raises(ValueError):
        memlens.Corpus([])
    with pytest.raises(ValueError, match="GPT-2 tokeniser needs its two files"):
        memlens.Corpus(str(tmp_path), tokeniser="gpt2")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine line\nbroken \xff\xfe line\n")
    with pytest.raises(memlens.Error, match="UTF-8"):
        memlens.Corpus(str(bad))
    one_line = tmp_path / "one.txt"
    one_line.write_text("just one line\n")
    with pytest.raises(ValueError, match="empty"):
        memlens.train(memlens.Corpus(str(one_line)))
    with pytest.raises(ValueError, match="top-k"):
        ib1.generate("the", top_k=-1)
    with pytest.raises(ValueError, match="vector"):
        ib1.explain("the earth").attention()
    with pytest.raises(TypeError):
        ib1.predict_batch(["fine", 3])
    with pytest.raises(TypeError):
        memlens.train("not a corpus")


def test_vector_memory_attention(corpus, kjv_slice, cli):
    memory = memlens.train(corpus, model="vector", width=3, dims=0, top_k_slots=16,
                           temperature=1.0, memory_lambda=0.5)
    trace = memory.explain("the face of")
    expected = cli("explain", "--json", "--model", "vector", "--width", 3, "--dims", 0,
                   "--top-k-slots", 16, "--temperature", 1.0, "--lambda", 0.5,
                   "--context", "the face of", kjv_slice)
    assert trace.data == expected
    rows = trace.attention()
    assert rows == expected["slots"] and 0 < len(rows) <= 16
    with pytest.raises(ValueError, match="attention"):
        trace.neighbours()


def test_neighbours_as_rows_and_frame(ib1):
    trace = ib1.explain("In the beginning God")
    rows = trace.neighbours()
    assert rows and rows[0]["bucket"] == 1
    assert sum(len(b["neighbours"]) for b in trace["buckets"]) == len(rows)
    pandas = pytest.importorskip("pandas")
    frame = trace.neighbours(frame=True)
    assert isinstance(frame, pandas.DataFrame) and len(frame) == len(rows)
    assert {"bucket", "storedVector", "values", "counts", "provenance"} <= set(frame.columns)


def test_help_reads_well():
    for name in ("Corpus", "train", "evaluate", "Memory", "Prediction", "Predictions", "Trace",
                 "Error"):
        assert getattr(memlens, name).__doc__, name
    for name in ("predict", "predict_batch", "explain", "generate", "record"):
        assert getattr(memlens.Memory, name).__doc__, name
    assert "model" in memlens.train.__doc__ and "memlens-cli" in memlens.__doc__


def test_calls_from_several_threads_agree(ib1):
    from concurrent.futures import ThreadPoolExecutor
    contexts = CONTEXTS * 20
    alone = [ib1.predict(c).token for c in contexts]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda c: ib1.predict(c).token, contexts))
        batches = list(pool.map(lambda _: ib1.predict_batch(contexts).tokens, range(4)))
    assert threaded == alone and all(b == alone for b in batches)


def test_save_and_open_answer_as_trained(ib1, tmp_path, cli):
    path = str(tmp_path / "ib1.mlm")
    ib1.save(path)
    opened = memlens.Memory.open(path)
    assert opened.record() == ib1.record()
    for context in CONTEXTS:
        assert opened.explain(context).data == ib1.explain(context).data
    # The CLI reads what the module wrote.
    expected = cli("explain", "--json", "--memory", path, "--context", CONTEXTS[0])
    assert opened.explain(CONTEXTS[0]).data == expected


def test_open_refuses_bad_files_and_edited_memories_do_not_save(corpus, tmp_path):
    bad = tmp_path / "bad.mlm"
    bad.write_bytes(b"MEMLENS\0 not a memory")
    with pytest.raises(memlens.Error, match="bad.mlm"):
        memlens.Memory.open(str(bad))
    with pytest.raises(OSError):
        memlens.Memory.open(str(tmp_path / "missing.mlm"))
    memory = memlens.train(corpus, model="igtree", width=3)
    memory.commit(memory.preview({"delete_vector": "the sons of"}))
    with pytest.raises(ValueError, match="edits"):
        memory.save(str(tmp_path / "edited.mlm"))

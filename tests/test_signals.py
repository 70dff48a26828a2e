from __future__ import annotations

from coach.contradiction import find_opposites
from coach.embedding import Embedder
from coach.question_words import demote, demoting_terms
from coach.salad import salad_score
from coach.signals import Reference, build_references, compute_signals
from coach.swaps import find_swapped_labels

CARDS = [
    (
        "c1",
        "What is a Convolution operation?",
        "A filter slides over the input, computing element-wise multiplication and sum at each position. Captures local patterns.",
    ),
    (
        "c2",
        "What is the purpose of Pooling?",
        "Downsamples feature maps, reducing spatial dimensions. Provides translation invariance. Max pooling is most common.",
    ),
    (
        "c3",
        "BERT vs GPT architecture?",
        "BERT: Encoder-only, bidirectional. GPT: Decoder-only, causal.",
    ),
]


ALEXNET = "ReLU activation, Dropout, GPU training, data augmentation. Won ImageNet 2012."


def test_opposites_and_swaps() -> None:
    ref = "Downsamples feature maps, reducing spatial dimensions."
    (upsampling,) = find_opposites("Pooling upsamples the feature maps", ref, ref, (ref,))
    assert str(upsampling) == "upsamples~downsamples"
    assert not find_opposites("Pooling shrinks the feature maps", ref, ref, (ref,))
    # Growing is the opposite of shrinking or vanishing however violently it happens.
    rnn = "Gradients shrink exponentially over long sequences"
    (exploding,) = find_opposites("Gradients explode over long sequences", rnn, rnn, (rnn,))
    assert str(exploding) == "explode~shrink"
    # The opposite of a negated term agrees with it.
    clt = "It fails without a finite variance (the Cauchy distribution, for example)"
    assert not find_opposites("It breaks down when the variance is infinite", clt, clt, (clt,))
    assert find_opposites(
        "It needs an infinite variance", "It needs a finite variance", clt, (clt,)
    )
    # A hyphenated "non-" makes the opposite word, not the word it prefixes.
    kernels = "fewer parameters and more non-linearities"
    assert not find_opposites(
        "you get an extra nonlinearity in between", kernels, kernels, (kernels,)
    )
    assert find_opposites("it stays linear in between", kernels, kernels, (kernels,))
    points = ["BERT: Encoder-only, bidirectional", "GPT: Decoder-only, causal"]
    assert find_swapped_labels(["BERT is decoder-only and causal"], points)
    assert not find_swapped_labels(["BERT is encoder-only and bidirectional"], points)
    # Twenty words on, a sentence that named GPT is talking about something else.
    aside = (
        "Size-wise, GPT models went much bigger, and people now often use them for "
        "classification too via prompting, but on a fixed budget a fine-tuned encoder is "
        "still hard to beat"
    )
    assert not find_swapped_labels([aside], points)
    norms = ["BatchNorm: Normalize across batch dimension", "LayerNorm: Normalize across features"]
    assert find_swapped_labels(["LayerNorm normalizes across the batch"], norms)
    for typed in ("doesn't", "doesn’t", "doesnt"):
        contrast = f"So LayerNorm {typed} depend on the batch size"
        assert not find_swapped_labels([contrast], norms)
    # A label with its arguments ("Binomial(n, p):") is still a label.
    counts = [
        "Binomial(n, p): the number of successes in a fixed number n of independent trials",
        "Poisson(λ): the number of events in a fixed interval of time at a constant rate",
    ]
    assert find_swapped_labels(["binomial when you count events per unit of time"], counts)
    assert not find_swapped_labels(["binomial counts successes in n fixed trials"], counts)


def test_opposites_of_denied_or_asked_words_are_no_cue() -> None:
    question = "What is the difference between a data member and a local variable inside a member function?"
    point = "Local variables can only be accessed inside the member function that defines them"
    points = (point,)
    # "Cannot be used outside" says what "only inside" says.
    denied = "A local variable cannot be used outside of that function"
    assert not find_opposites(denied, point, point, points)
    # The question names "local" and "inside": they label what is asked about, so an
    # answer's "globally" or "outside" is said of something else.
    scope = "A data member is globally accessible, while a local variable is not"
    assert find_opposites(scope, point, point, points)
    assert not find_opposites(scope, point, point, points, question)
    declared = "Data members are declared in the class but outside the member functions"
    assert not find_opposites(declared, point, point, points, question)
    # A question that names both sides asks for their order.
    iou = "Area of Overlap / Area of Union"
    swapped = "It is the area of the intersection divided by the area of the union"
    assert find_opposites(swapped, iou, iou, (iou,), "What is IoU (Intersection over Union)?")


def test_what_the_notes_deny_or_time_against_another_thing_is_no_cue() -> None:
    # "≠" denies: "same pw ≠ same hash" says what "different hashes" says.
    point = "Kills rainbow tables, and same pw ≠ same hash → crack each hash separately"
    right = "It makes identical passwords produce different hashes"
    assert not find_opposites(right, point, point, (point,))
    # A negation reaches no further than its clause.
    point = "Batch norm adds no cost, faster training"
    assert find_opposites("batch norm gives slower training", point, point, (point,))
    # "before the data" and "after this" are times of different things.
    point = "Everything after this is encrypted"
    agreed = "client and server agree the encryption before they send data"
    assert not find_opposites(agreed, point, point, (point,))


def test_words_of_amount_clash_only_over_the_same_thing() -> None:
    ref = "Two 3x3 layers = same receptive field as one 5x5, but fewer parameters and more non-linearities."
    points = (
        "Two 3x3 layers = same receptive field as one 5x5",
        "fewer parameters and more non-linearities",
    )
    clause = "Two 3x3 layers also have more parameters than one 5x5"
    # The clause sits nearest the first point, and "more" is in the notes too: what
    # counts is that the notes say "fewer" of the parameters.
    (more,) = find_opposites(clause, points[0], ref, points)
    assert str(more) == "more~fewer"
    assert not find_opposites("and you get more non-linearities", points[1], ref, points)
    assert not find_opposites("so it overfits less", points[1], ref, points)
    assert not find_opposites("it does not need more parameters", points[1], ref, points)
    # A labelled side's amount says nothing against the other side's.
    detectors = ("Two-stage: More accurate", "One-stage: Faster")
    text = "Two-stage: More accurate. One-stage: Faster."
    assert not find_opposites("one-stage is less accurate", detectors[1], text, detectors)
    assert find_opposites(
        "It is less accurate", "More accurate", "More accurate", ("More accurate",)
    )


def test_swaps_of_the_names_a_question_compares() -> None:
    question = "What is the difference between MLE and MAP?"
    points = [
        "MLE picks the parameters that make the observed data most probable",
        "MAP picks the mode of the posterior, i.e. it adds a prior over the parameters",
    ]
    swap = "MLE maximises the posterior probability of the parameters"
    assert find_swapped_labels([swap], points, question)
    assert not find_swapped_labels([swap], points)  # no question, no names
    assert not find_swapped_labels(["MLE makes the observed data most probable"], points, question)
    # Naming one as the other's yardstick is no swap.
    assert not find_swapped_labels(["so it is MLE plus a prior"], points, question)
    # Past "whereas" a point speaks of the other name; function words speak of neither.
    question = "What is the difference between a constructor and a function?"
    points = [
        "A constructor is called whenever an object is created, whereas a function needs to be called explicitly",
        "Constructors do not have return type",
        "functions have to indicate a return type",
    ]
    assert not find_swapped_labels(["a function must be explicitly called"], points, question)
    assert not find_swapped_labels(["a constructor initializes data members"], points, question)
    assert find_swapped_labels(
        ["a function is called whenever an object is created"], points, question
    )
    # "cannot" negates, as "can't" does.
    assert not find_swapped_labels(
        ["a function cannot be created with the object"], points, question
    )


def test_names_with_hyphens_asides_and_a_second_name_in_the_clause() -> None:
    question = "What is the difference between an INNER JOIN and a LEFT JOIN?"
    points = [
        "An INNER JOIN keeps only the rows that match in both tables",
        "A LEFT (OUTER) JOIN keeps every row of the left table and fills the right "
        "table's columns with NULLs where it has no match",
    ]
    # The clause opens with one name and says the other's body; "left table" is no
    # name, and the negation belongs to "where".
    swap = "An INNER JOIN returns all rows of the left table and fills NULLs where the right table has no match"
    assert find_swapped_labels([swap], points, question) == [swap]
    # The "s" of "there's" is not the "s" of "table's".
    spoken = "So inner join, you only get rows where there's a match in both tables."
    assert not find_swapped_labels([spoken], points, question)
    # What the notes deny of one name is not its word: "no guarantee of delivery".
    transport = [
        "TCP provides a reliable, ordered byte stream with retransmission",
        "UDP sends datagrams with no guarantee of delivery or ordering",
    ]
    tcp_vs_udp = "What is the difference between TCP and UDP?"
    assert not find_swapped_labels(["TCP guarantees the delivery"], transport, tcp_vs_udp)
    assert find_swapped_labels(["TCP sends datagrams"], transport, tcp_vs_udp)
    # A second name cuts the clause: what follows it is about that name.
    assert not find_swapped_labels(
        ["An INNER JOIN drops what a LEFT JOIN fills with NULLs"], points, question
    )
    # A negation of the clause's own verb still marks a contrast, past an aside.
    assert not find_swapped_labels(
        ["An INNER JOIN, which is the default, does not fill NULLs for the right table"],
        points,
        question,
    )
    assert not find_swapped_labels(
        ["An INNER JOIN does not fill NULLs for the right table"], points, question
    )
    question = "What is the difference between a clustered and a non-clustered index?"
    points = [
        "A clustered index stores the table rows themselves in key order, so there is only one",
        "A non-clustered index is a separate structure of keys and row pointers",
    ]
    assert find_swapped_labels(
        ["A non-clustered index stores the rows themselves in key order"], points, question
    )
    assert not find_swapped_labels(
        ["A non-clustered index is a separate structure pointing at the rows"], points, question
    )


def test_false_negatives_are_not_false_positives() -> None:
    point = "running many tests makes at least one false positive likely"
    (negatives,) = find_opposites("you get too many false negatives", point, point, (point,))
    assert str(negatives) == "negatives~positive"


def test_salad() -> None:
    assert (
        salad_score("Attention: Q, K, V, softmax, sqrt, d_k, transpose, dot product, weights.")
        > 0.5
    )
    assert (
        salad_score("A filter slides over the input and sums the products at each position.") == 0.0
    )
    # Said without commas, still a list of terms; a terse answer is not.
    assert salad_score("latency throughput bandwidth ms RTT requests per second queue p99") > 0.5
    assert salad_score("generator makes very similar outputs, not much diversity") == 0.0
    assert salad_score("computers convert infix expressions to postfix form before evaluation") == 0
    for listed in (
        "Pooling is max, average, stride, feature map, invariance, and downsampling.",
        "Max. Average. Stride. Invariance. Downsampling.",
        "Pooling - downsampling - max - average - translation invariance - overfitting",
        "== / === / type coercion / strict / loose / truthy / NaN / null / undefined",
        "box-sizing!! margin collapse!! padding... border... content-box, z-index",
        # "over-fetching" is a term, not the function word "over".
        "REST GraphQL endpoints schema resolvers over-fetching under-fetching N+1 caching versioning",
    ):
        assert salad_score(listed) > 0.5, listed
    # Code and arrows state relations.
    assert salad_score("if (a) { b = c; } else { d = e; f(g); h(i); j(k); }") == 0.0
    assert salad_score("nonconst -> nonconst const -> const nonconst -> const") == 0.0
    explained = (
        "Pooling downsamples the feature maps. It keeps the strongest activation. "
        "That makes the network cheaper. It also adds some invariance to shifts."
    )
    assert salad_score(explained) == 0.0
    telegraphic = "Pooling downsamples. Keeps strongest activations. Cuts compute. Adds invariance."
    assert salad_score(telegraphic + " Fights overfitting.") == 0.0


def test_coverage_and_off_topic(embedder: Embedder) -> None:
    refs = build_references(CARDS, embedder)
    good = compute_signals(
        "You slide a small filter across the image, multiply and add at each spot, which detects local patterns.",
        refs[0],
        embedder,
        refs,
    )
    off = compute_signals(
        "pooling makes the feature map smaller, max pooling takes the biggest value in each 2x2 window",
        refs[0],
        embedder,
        refs,
    )
    assert good.coverage > off.coverage
    assert off.off_topic_margin > 0.15 and off.off_topic_card == "c2"
    assert good.off_topic_margin < 0


def test_a_bare_term_states_no_claim(embedder: Embedder) -> None:
    (box,) = build_references(
        [
            (
                "b1",
                "What is the CSS box model?",
                "Every element is a box of four layers: content, padding, border, margin. "
                "Padding is inside the border and shows the element's background. "
                "border-box includes padding and border in the width.",
            )
        ],
        embedder,
    )
    listed = compute_signals("Content, padding, border, margin.", box, embedder)
    assert "Padding is inside the border and shows the element's background" in listed.missed
    said = compute_signals(
        "Padding sits inside the border and takes the element's background.", box, embedder
    )
    assert "Padding is inside the border and shows the element's background" in said.covered


def test_a_comparison_said_the_wrong_way_round(tcp_udp: Reference, embedder: Embedder) -> None:
    # Notes from a field no tuning saw: the names the question compares label the points.
    swapped = compute_signals(
        "UDP is connection-oriented and reliable, it retransmits lost packets, while TCP is "
        "connectionless and has lower latency.",
        tcp_udp,
        embedder,
    )
    assert [c for c in swapped.contradictions if c.startswith("swapped: ")] == [
        "swapped: UDP is connection-oriented and reliable",
        "swapped: TCP is connectionless and has lower latency.",
    ]
    right = compute_signals(
        "TCP sets up a connection and guarantees delivery in order, resending lost packets, "
        "while UDP just fires packets off without a connection, so it has less latency.",
        tcp_udp,
        embedder,
    )
    assert not right.contradictions


STRIDE = ("s", "What is Stride?", "Step size of the filter. Stride=2 halves the output size.")
SMOOTHING = (
    "l",
    "What is Label Smoothing?",
    "Instead of hard labels (0,1), use soft labels (0.1, 0.9). Reduces overconfidence.",
)


def test_stated_key_points_are_the_ones_the_answer_speaks_to(embedder: Embedder) -> None:
    stride, smoothing = build_references([STRIDE, SMOOTHING], embedder)
    # On topic, but only the first point: the topic alone must not tick the second.
    brief = compute_signals("Stride is the step size.", stride, embedder)
    assert brief.covered == ("Step size of the filter",)
    assert brief.missed == ("Stride=2 halves the output size",)
    # Both points, in words the notes do not use.
    paraphrase = compute_signals(
        "Instead of one-hot targets you train on softened ones, like 0.9 for the right class "
        "and the rest spread over the others. The model ends up less overconfident.",
        smoothing,
        embedder,
    )
    assert paraphrase.missed == ()
    nothing = compute_signals("I would use a bigger learning rate.", smoothing, embedder)
    assert nothing.covered == ()


def test_a_short_clause_can_state_a_short_point(embedder: Embedder) -> None:
    (gru,) = build_references(
        [
            (
                "g",
                "What is GRU?",
                "Simplified LSTM with 2 gates (Reset, Update). Fewer parameters, similar performance.",
            )
        ],
        embedder,
    )
    answer = (
        "A GRU is a lighter LSTM: it has just a reset gate and an update gate, "
        "so fewer parameters, and it performs about as well."
    )
    assert "Fewer parameters" in compute_signals(answer, gru, embedder).covered
    (alexnet,) = build_references(
        [("a", "Explain AlexNet's key innovations.", ALEXNET)],
        embedder,
    )
    listed = "It used ReLUs instead of tanh, dropout, trained on GPUs, and it won ImageNet."
    covered = compute_signals(listed, alexnet, embedder).covered
    assert {"Dropout", "ReLU activation", "GPU training"} <= set(covered)


def test_the_question_words_state_nothing() -> None:
    terms = demoting_terms("What is Stride?", ["Step size of the filter"])
    assert demote("Stride is the step size.", terms) == "is the step size."
    assert demote("Strides halve it.", terms) == "halve it."
    # Names that label the key points tell them apart: they stay.
    terms = demoting_terms(
        "BERT vs GPT architecture?", ["BERT: Encoder-only", "GPT: Decoder-only, causal"]
    )
    assert "architectur" in terms and not terms & {"bert", "gpt"}
    assert demote("BERT is an encoder.", terms) == "BERT is an encoder."


def test_an_answer_of_question_words_states_nothing(embedder: Embedder) -> None:
    (stride,) = build_references([STRIDE], embedder)
    echo = compute_signals("Stride. It is the stride, stride!", stride, embedder)
    assert echo.covered == () and echo.on_topic_words == 0


def test_a_point_that_restates_the_question_keeps_its_words(embedder: Embedder) -> None:
    """A yes/no question restated by its answer: demoting on both sides would leave the
    point nothing an answer could match."""
    card = (
        "d",
        "Does dropout randomly zero units during training?",
        "Dropout randomly zeroes units during training. It is switched off at inference.",
    )
    (dropout,) = build_references([card], embedder)
    assert not dropout.terms & {"dropout", "random", "zero", "unit"}
    said = compute_signals(
        "Yes, during training dropout randomly zeroes units, and at inference it's off.",
        dropout,
        embedder,
    )
    assert said.missed == ()


def test_a_point_said_the_wrong_way_round_is_not_stated(embedder: Embedder) -> None:
    refs = build_references(CARDS, embedder)
    wrong = compute_signals(
        "Pooling upsamples the feature maps, so the network sees more detail.", refs[1], embedder
    )
    assert wrong.contradictions and "Downsamples feature maps" in wrong.missed


def test_symbols_of_the_question_are_not_its_words() -> None:
    terms = demoting_terms("Why scale by $\\sqrt{d_k}$ in attention?", ["Keeps the softmax soft"])
    assert {"scal", "attention"} <= terms and not terms & {"d", "k"}
    # "sqrt" is a word of the question; "QK", "d" and "k" are symbols an answer needs.
    assert demote("Divide QK by sqrt of d_k", terms) == "Divide QK by of d_k"


def test_plural_acronyms_are_matched_as_their_singular() -> None:
    from coach.question_words import singular_acronyms

    assert singular_acronyms("ReLUs on GPUs, unlike ResNets or RMS") == (
        "ReLU on GPU, unlike ResNets or RMS"
    )


def test_a_label_is_known_by_its_short_name_and_a_yardstick_must_open_the_clause() -> None:
    points = [
        "First normal form (1NF): every column holds a single atomic value",
        "Second normal form (2NF): 1NF, and every non-key column depends on the whole "
        "primary key, not on part of a composite key",
        "Third normal form (3NF): 2NF, and no non-key column depends on another non-key column",
    ]
    swap = "3NF means every non-key column depends on the whole composite key"
    assert find_swapped_labels([swap], points) == [swap]
    assert find_swapped_labels(["2NF means every column holds a single atomic value"], points)
    assert not find_swapped_labels(["1NF means every cell holds one atomic value"], points)
    # 2NF's point is measured against 1NF: naming 1NF on the way is no swap.
    right = "it's in 1NF and every non-key column depends on the whole primary key"
    assert not find_swapped_labels([right], points)


def test_a_swap_reads_each_name_with_the_points_the_notes_give_it() -> None:
    question = "What is the difference between callbacks and promises?"
    points = [
        "Callback: you pass a function that the async operation calls when it is done",
        "Several dependent steps nest into a pyramid of doom",
        "Promise: an object standing for a future value, settled only once",
        "`Promise.all` runs steps in parallel",
        "async/await is syntax built on promises",
    ]
    assert find_swapped_labels(["A promise is a function you pass"], points, question)
    # "Promise.all" names a method, not promises; "async" is said of promises too.
    for right in (
        "Several dependent steps lead to nested callback hell",
        "And you can use async await with promises",
        # "don't" is not the "done" of callbacks.
        "promises are more readable because you don't get the callback hell",
    ):
        assert not find_swapped_labels([right], points, question), right
    question = "What is the difference between REST and GraphQL?"
    points = [
        "REST: many endpoints, one per resource",
        "Plain GET responses cache well in HTTP caches",
        "GraphQL: one endpoint and a typed schema",
        "the client's query says exactly which fields it wants",
        "Costs: resolvers need batching",
    ]
    # The points after a label are its own, up to the next label.
    assert find_swapped_labels(["GraphQL responses cache well"], points, question)
    assert not find_swapped_labels(
        ["GraphQL lets the client ask for exact fields"], points, question
    )
    # "Costs" is a heading of the notes, not a thing the question compares.
    assert not find_swapped_labels(["REST endpoints need batching"], points, question)


def test_operators_are_names() -> None:
    question = "What is the difference between == and === in JavaScript?"
    points = [
        "`===`: strict equality, no type conversion",
        "`==`: loose equality. If the types differ it coerces them first",
    ]
    swap = "== is the strict comparison"
    assert find_swapped_labels([swap], points, question) == [swap]
    assert not find_swapped_labels(["=== is the strict comparison"], points, question)
    assert not find_swapped_labels(["== coerces the types first"], points, question)


def test_a_swap_needs_two_sides_and_a_clause_that_names_its_own() -> None:
    # One name of the question is no comparison: depreciation is not a side against the
    # notes' "Income statement: ...".
    question = "What happens to the three statements when depreciation rises by $10?"
    points = [
        "Income statement: EBIT and pre-tax income fall $10",
        "Balance sheet: PP&E falls $10",
        "Depreciation costs no cash itself",
    ]
    right = "depreciation up $10 means EBIT and pre-tax income fall $10"
    assert not find_swapped_labels([right], points, question)
    assert find_swapped_labels(["The income statement shows PP&E falling"], points, question)
    # A clause of a point that opens with the other name is that name's ("financial
    # leverage from the capital structure"); "comes" says nothing of either.
    question = "What is the difference between operating leverage and financial leverage?"
    points = [
        "Operating leverage: share of fixed costs in the cost base",
        "Financial leverage: use of debt with fixed interest",
        "Operating leverage comes from the cost structure, financial leverage from the "
        "capital structure",
    ]
    swap = "Operating leverage comes from the capital structure"
    assert find_swapped_labels([swap], points, question)
    assert not find_swapped_labels(["Financial leverage comes from borrowing"], points, question)
    # A name in the middle of a clause is an object, not a new subject.
    question = "How do covariance and correlation differ?"
    points = [
        "Covariance says whether two variables move together",
        "Correlation is covariance normalised by both standard deviations, always in [-1, 1]",
    ]
    assert not find_swapped_labels(["Correlation is the normalised one"], points, question)
    assert find_swapped_labels(["covariance is always between -1 and 1"], points, question)


def test_what_a_clause_or_a_point_denies_is_no_side_of_it() -> None:
    question = "What is the difference between DNA and RNA?"
    points = [
        "DNA: deoxyribose sugar, bases A, T, G and C, double-stranded",
        "RNA: ribose sugar, uracil (U) instead of thymine (T), single-stranded",
    ]
    # RNA's point names thymine only to deny it.
    assert not find_swapped_labels(["DNA has thymine"], points, question)
    assert find_swapped_labels(["DNA has uracil"], points, question)
    question = "What is the difference between transcription and translation?"
    points = [
        "Transcription: RNA polymerase builds an RNA copy of a gene in the nucleus",
        "Translation: ribosomes read the mRNA codons and join amino acids into a protein",
    ]
    right = "Translation is the decoding step, done outside the nucleus by ribosomes"
    assert not find_swapped_labels([right], points, question)
    assert find_swapped_labels(["Translation happens in the nucleus"], points, question)


def test_a_name_glossed_before_its_colon_is_a_side() -> None:
    # Prose notes: "Reliability is consistency: ..." names reliability, not a heading
    # "Reliability is consistency".
    question = "What's the difference between reliability and validity?"
    points = [
        "Reliability is consistency: does the measure give the same result when repeated?",
        "Validity is accuracy: does the measure actually measure what it claims to?",
    ]
    assert find_swapped_labels(["Validity is about consistency"], points, question)
    assert find_swapped_labels(["and reliability is about accuracy"], points, question)
    assert not find_swapped_labels(["reliability means consistency"], points, question)


def test_what_the_notes_deny_of_one_side_speaks_for_the_other() -> None:
    question = "What is the difference between TCP and UDP?"
    points = [
        "TCP is connection-oriented: a handshake, then a reliable ordered byte stream",
        "UDP is connectionless: it sends datagrams with no guarantee of delivery",
    ]
    # "send" is UDP's word, but a guarantee of delivery is what UDP's point denies.
    right = "TCP guarantee the delivery, if a packet is lost it send again"
    assert not find_swapped_labels([right], points, question)
    assert find_swapped_labels(["TCP sends datagrams"], points, question)


def test_a_side_the_notes_say_nothing_of_alone_is_not_swapped_on_one_word() -> None:
    # Every word of Faraday's point is said of another side too: one word of Lenz's
    # ("minus") tells nothing.
    question = "State Faraday's law and Lenz's law."
    points = [
        "Faraday: induced EMF = -dPhi/dt",
        "N turns: EMF = -N dPhi/dt",
        "flux can change via B, area or orientation",
        "Lenz: the minus sign",
        "Induced current flows so that its own B field opposes the change in flux",
    ]
    right = "Faraday's law: the induced EMF equals minus the rate of change of flux"
    assert not find_swapped_labels([right], points, question)


def test_sides_the_question_names_in_short_and_headings_that_name_none() -> None:
    # "Eig:" is the question's eigendecomposition, so the sides are Eig and SVD, and the
    # notes' "Link:" is a heading, not a third side.
    question = "What's the difference between SVD and eigendecomposition?"
    points = [
        "Eig: A = P Λ P^-1, square and diagonalisable A only",
        "SVD: A = U Σ V^T exists for any matrix, singular values real and ≥ 0",
        "Link: σ_i = sqrt(λ_i(A^T A))",
    ]
    right = "They're linked through A^T A: its eigenvalues are the squared singular values"
    assert not find_swapped_labels([right], points, question)
    assert find_swapped_labels(["SVD is only for diagonalisable ones"], points, question)
    # "Both:" says what the two sides share.
    question = "How do blue-green and canary deployments differ?"
    points = [
        "Blue-green: two identical environments, switch all traffic at once",
        "Canary: a small slice of traffic first, promoted on good metrics",
        "Both: the schema must stay backward compatible",
    ]
    assert not find_swapped_labels(["both beat a big-bang deploy"], points, question)


def test_an_acronym_spelled_out_says_nothing_of_the_other_side() -> None:
    question = "How do OKRs differ from KPIs?"
    points = [
        "OKR = ambitious Objective + measurable Key Results, quarterly",
        "KPI = ongoing health metric monitored against a target",
    ]
    assert not find_swapped_labels(["KPI is key performance indicator"], points, question)
    assert find_swapped_labels(["KPI is the quarterly key result"], points, question)


def test_descent_is_the_opposite_of_ascent() -> None:
    point = "The gradient points in the direction of steepest ascent"
    (opposite,) = find_opposites(
        "it points in the direction of steepest descent", point, point, (point,)
    )
    assert str(opposite) == "descent~ascent"


def test_a_side_is_a_name_said_as_one_and_kept_past_but() -> None:
    # "blocks agonist's effect" after "but" is still the antagonist's, so binding is said
    # of both sides and "an antagonist binds too" swaps nothing.
    question = "Agonist vs antagonist?"
    points = [
        "Agonist: binds the receptor and activates it (efficacy)",
        "Antagonist: affinity but zero efficacy, binds without activating, blocks agonist's effect",
    ]
    assert not find_swapped_labels(["An antagonist binds too"], points, question)
    assert find_swapped_labels(["An antagonist activates the receptor"], points, question)
    # A name of two words is named when they stand together.
    question = "How do you choose a shard key?"
    points = [
        "Range sharding: cheap range scans, but hotspots on monotonic keys",
        "Hash sharding: even spread, but range queries hit every shard",
    ]
    right = "hash sharding spreads writes, but it makes range queries hit every shard"
    assert not find_swapped_labels([right.split(", but ")[1]], points, question)
    assert find_swapped_labels(["range sharding gives an even spread"], points, question)
    # Headings ("Why it matters:") and one letter ("A:", country A) are no sides.
    question = "What is consistent hashing and why use it?"
    points = [
        "Consistent hashing: nodes and keys on a ring, each key to the next node",
        "Why: adding a node moves only K/N keys instead of almost all",
    ]
    assert not find_swapped_labels(["consistent hashing moves only K/N keys"], points, question)
    points = ["Absolute adv: more output from the same inputs", "A: 1 cloth = 2 wine"]
    assert not find_swapped_labels(["It is a cloth"], points, "Comparative vs absolute?")


def test_arrows_in_the_notes_are_directions() -> None:
    first_pass = "Oral drug → portal vein → liver metabolises a fraction → ↓ bioavailability"
    (up,) = find_opposites("first-pass increases bioavailability", first_pass, first_pass, ())
    assert str(up) == "increases~decreases"
    assert not find_opposites("so less reaches the blood", first_pass, first_pass, ())
    # Where the notes use both arrows, a direction clashes only over the same thing, said
    # in any of the words for it ("reduce" for "↓").
    points = (
        "Inducers ↑ CYP enzyme synthesis → ↓ plasma level of other drug",
        "Inhibitors ↓ CYP activity → ↑ drug level → toxicity",
    )
    notes = ". ".join(points)
    assert find_opposites(
        "Inducers raise the plasma level of other drugs", points[0], notes, points
    )
    assert not find_opposites("Inhibitors reduce CYP activity", points[0], notes, points)
    # A clause on the case the point negates ("inelastic" against "elastic") may go the
    # other way: the notes say so of that case.
    elastic = "|PED| > 1 elastic: P↑ ⇒ total revenue ↓"
    notes = f"{elastic}. |PED| < 1 inelastic: P↑ ⇒ TR ↑"
    other_case = "if it's inelastic a price rise raises revenue"
    assert not find_opposites(other_case, elastic, notes, (elastic,))
    assert find_opposites("if it's elastic a price rise raises revenue", elastic, notes, (elastic,))


def test_a_short_name_is_made_of_the_names_initials() -> None:
    question = "How do beta-blockers work?"
    points = [
        "Cardioselective (β1): bisoprolol, metoprolol",
        "Non-selective: propranolol, blocks β2 too",
        "Uses: angina, AF rate control",
    ]
    # "(β1)" names the receptor these drugs prefer, not the drugs: "β1 blockade" is no
    # clause about cardioselective drugs.
    assert not find_swapped_labels(["β1 blockade slows the heart rate"], points, question)
    assert find_swapped_labels(["cardioselective ones slow the heart rate"], points, question)


def test_a_label_defined_by_another_label_is_no_crash() -> None:
    """ "Trilinear: bilinear in the two nearest mip levels" gives all its words to the name
    it opens with; the points after it then have no label of their own to join (a
    graphics deck's batch stopped with a KeyError here)."""
    points = [
        "Bilinear: a weighted average of the 4 nearest texels in a single mip level",
        "a visible seam appears where the chosen level switches",
        "Trilinear: bilinear in the two nearest mip levels, then a lerp between them",
        "the mip transitions disappear",
        "Anisotropic: several samples along the long axis",
    ]
    question = "How do bilinear, trilinear and anisotropic filtering differ?"
    said = ["Bilinear averages the four nearest texels in one mip level."]
    assert find_swapped_labels(said, points, question) == []
    assert find_swapped_labels(
        ["Bilinear takes several samples along the long axis."], points, question
    )

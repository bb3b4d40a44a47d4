"""The custom actions with the real domain, real trackers (messages parsed by the real lexicon
components, tests/parsing.py) and a CollectingDispatcher: what the bot says, and what it
remembers, for the kinds of messages real people write."""
from __future__ import annotations

import re
from typing import List

import pytest
from rasa_sdk.events import SlotSet

from actions.actions import ActionAnswerQuestion, ActionRespondToAlarm
from actions.content import content
from tests.blind.scoring import FORBIDDEN
from tests.parsing import tracker


def run(action, dispatcher, domain, the_tracker):
    events = action.run(dispatcher, the_tracker, domain)
    for message in dispatcher.messages:
        if message.get("response"):
            assert message["response"] in domain["responses"], message["response"]
    return events


def ask(dispatcher, domain, text, intent="ask_topic", **slots):
    """Answer one message; the dispatcher then holds only this reply, so a test asking several
    questions checks each reply on its own."""
    dispatcher.messages.clear()
    return run(ActionAnswerQuestion(), dispatcher, domain, tracker(text, intent, slots))


def said(dispatcher) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)


def tags(dispatcher) -> List[str]:
    return [t for m in dispatcher.messages for t in m.get("tags") or []]


def has_tag(tags_given: List[str], expected: str) -> bool:
    """`expected` is one of the tags, or the start of one ("orientation" for
    "orientation:lever")."""
    return any(t == expected or t.startswith(expected + ":") for t in tags_given)


def assert_no_forbidden_phrasing(text):
    for pattern in FORBIDDEN:
        assert not re.search(pattern, text.lower()), (pattern, text)


# --- questions for information -------------------------------------------------------------

def test_question_with_site_and_topic_gets_the_section(dispatcher, domain):
    events = ask(dispatcher, domain, "Welke klachten geven uitzaaiingen in de lever?")
    text = said(dispatcher)
    assert "Uitzaaiingen in de lever: klachten" in text and "geelzucht" in text
    assert text.endswith(content().disclaimer)
    assert [b["title"] for b in dispatcher.messages[-1]["buttons"]] == [
        "Oorzaak", "Behandeling", "Levensverwachting"]
    assert SlotSet("site", "lever") in events and SlotSet("topic", "symptomen") in events


@pytest.mark.parametrize("text,fact,expected", [
    ("Komen botuitzaaiingen veel voor bij borstkanker?", "bot_cause_65_75", "65-75%"),
    ("Hoeveel keer word je bestraald bij klieren in de hals?", "lymf_treat_radiation_28_35",
     "28 tot 35"),
    ("Krijg je chemo via een infuus?", "lymf_treat_chemo_infusion", "infuus"),
    ("wordt wegbranden vaak gedaan?", "lever_treat_ablation", "wegbranden"),
    ("Kan een bot zomaar breken door uitzaaiingen?", "bot_symptoms_fracture", "breekt"),
])
def test_a_question_about_one_fact_gets_that_fact_first(dispatcher, domain, text, fact, expected):
    ask(dispatcher, domain, text)
    assert f"fact:{fact}" in tags(dispatcher)
    first = dispatcher.messages[0]
    assert expected in first["text"] and first["text"].endswith(content().disclaimer)
    assert first["buttons"][0]["title"].startswith("Alles over")  # the whole section


@pytest.mark.parametrize("text,site,topic", [
    ("Hoe komt het dat de botten zo vaak geraakt worden?", "bot", "oorzaak"),
    ("Wat doet de dokter als het in je klieren zit?", "lymfeklieren", "behandeling"),
    ("Hoe weet je of het in je botten zit?", "bot", "symptomen"),
    ("hoelang leeft men nog met uitzaaiingen in de lever", "lever", "levensverwachting"),
])
def test_the_question_word_carries_the_topic(dispatcher, domain, text, site, topic):
    ask(dispatcher, domain, text)
    assert f"content:{site}/{topic}" in tags(dispatcher)


def test_follow_ups_with_a_pronoun_reuse_the_site(dispatcher, domain):
    ask(dispatcher, domain, "en hoe ontstaat zoiets?", "inform", site="lever", person="vader")
    assert "content:lever/oorzaak" in tags(dispatcher)
    assert "uw vader" in said(dispatcher)


def conversation(domain, texts, intent="ask_topic", first=ActionAnswerQuestion):
    """Run the answering action over several messages (the first one to `first`, e.g. the
    alarm action), carrying the slots they set; the tags of the last reply."""
    from rasa_sdk.executor import CollectingDispatcher

    slots = {}
    for i, text in enumerate(texts):
        the_dispatcher = CollectingDispatcher()
        action = first() if i == 0 else ActionAnswerQuestion()
        for event in run(action, the_dispatcher, domain, tracker(text, intent, dict(slots))):
            if event.get("event") == "slot":
                slots[event["name"]] = event["value"]
    return tags(the_dispatcher)


def test_a_follow_up_leans_on_what_the_story_told(dispatcher, domain):
    # the story names the treatment, the follow-up asks only "how many times"
    assert "fact:bot_treat_radiation_sessions" in conversation(domain, [
        "Mijn man heeft uitzaaiingen in zijn bekken. Hij wordt binnenkort bestraald.",
        "hoe vaak moet dat dan?"])
    # a new subject starts afresh: the earlier treatment is no longer what is asked about
    assert "content:lever/oorzaak" in conversation(domain, [
        "Mijn man heeft uitzaaiingen in zijn bekken. Hij wordt binnenkort bestraald.",
        "en waardoor krijg je ze in de lever?"])


def test_a_follow_up_about_the_complaints_gets_their_orientation_again(domain):
    # right after an orientation, a question whether to see the doctor or whether it is bad
    # is about the same complaints: which site the text links them to (nothing more) and advice
    for follow_up in ("moet hij daarmee naar de huisarts?", "kan dat iets ergs zijn?"):
        got = conversation(domain, [
            "Mijn broer heeft al weken een zeurende plek onderin zijn rug, hij is ooit behandeld "
            "aan prostaatkanker. Waar kan zoiets vandaan komen?", follow_up],
            intent="describe_symptoms")
        assert "orientation:bot" in got and "also_listed" not in got, (follow_up, got)
    # not when the answer before was no orientation: no complaints to orient on
    assert "orientation:bot" not in conversation(domain, [
        "Hoe worden uitzaaiingen in het bot behandeld?", "moet ik daarmee naar de dokter?"])


def test_side_effects_of_a_named_treatment_get_what_the_text_says_of_it(dispatcher, domain):
    # side effects are not in the text: it says so, then what it does say about the treatment
    ask(dispatcher, domain, "Wat voor bijwerkingen geeft immunotherapie? Mijn vader start "
        "volgende week.")
    got = tags(dispatcher)
    assert "not_covered:bijwerkingen" in got and "treatment:immunotherapie" in got, got
    assert said(dispatcher).endswith(content().disclaimer)


def test_after_an_alarm_the_next_answer_starts_with_a_warm_word(domain):
    got = conversation(domain, ["mijn moeder is net flauwgevallen en reageert niet meer",
                                "hoe worden uitzaaiingen in de lever behandeld?"],
                       first=ActionRespondToAlarm)
    assert "empathy" in got and "content:lever/behandeling" in got, got


def test_a_short_follow_up_asking_a_topic_stays_at_the_site(dispatcher, domain):
    assert "content:lever/symptomen" in conversation(domain, [
        "Mijn vader heeft het nu in zijn lever.", "waar moet ik bij hem op letten"])


def test_a_general_answer_keeps_the_one_site_the_message_named(dispatcher, domain):
    # the general answer (or "not in the text") first; the follow-up is about the site
    assert "content:lymfeklieren/behandeling" in conversation(domain, [
        "Ze vonden iets in een klier in haar hals. Is dat dan lymfeklierkanker?",
        "en hoe pakken ze dat aan?"])


def test_a_treatment_in_a_condition_sets_the_scene_of_a_question_about_the_outlook(dispatcher,
                                                                                     domain):
    assert "content:bot/levensverwachting" in conversation(domain, [
        "Mijn zus heeft uitzaaiingen in haar ribben.",
        "als ze het weghalen, hoeveel mensen leven er dan nog na vijf jaar?"])
    ask(dispatcher, domain, "hoe groot is de kans dat het goed gaat na een operatie aan de lever")
    assert "content:lever/levensverwachting" in tags(dispatcher)
    # the general question is not one about a person's own future
    ask(dispatcher, domain, "hoe lang leef je nog als ze het niet weg kunnen halen uit de lever")
    assert "refusal:prognose" not in tags(dispatcher)


def test_what_is_done_against_the_pain_asks_the_treatment(dispatcher, domain):
    ask(dispatcher, domain, "hoe pakken de artsen die botpijn van uitzaaiingen meestal aan?")
    assert "content:bot/behandeling" in tags(dispatcher)
    assert "content:bot/behandeling" in conversation(domain, [
        "Mijn broer heeft uitzaaiingen in zijn heup.", "gaat die pijn daar ooit helemaal van weg?"])
    # one fact of the bones' treatment asked: that fact first, then its section
    ask(dispatcher, domain, "met een uitzaaiing in mijn scheenbeen, wat geven ze tegen de pijn?")
    assert tags(dispatcher) == ["fact:bot_treat_pain_relief", "section:bot/behandeling"]


def test_where_a_complaint_of_another_site_is_felt_is_no_site_asked_about(dispatcher, domain):
    ask(dispatcher, domain, "ik voel druk onder mijn ribben aan de rechterkant en ben misselijk,"
        " bij welke uitzaaiingen past dat?", "describe_symptoms")
    assert "lever" in " ".join(tags(dispatcher)) and "content:bot/symptomen" not in tags(dispatcher)


def test_swellings_above_the_collarbone_or_under_the_arm_point_to_the_lymph_nodes(dispatcher,
                                                                                   domain):
    for text in ("er zit een knobbel boven mijn sleutelbeen, waar kan dat van komen?",
                 "ik voel een bobbel in mijn oksel, wat kan dat zijn?"):
        ask(dispatcher, domain, text, "describe_symptoms")
        assert "orientation:lymfeklieren" in tags(dispatcher), text


def test_a_comparison_asks_about_the_first_treatment_named(dispatcher, domain):
    ask(dispatcher, domain, "is hormoontherapie eigenlijk hetzelfde als chemo?")
    assert "hormon" in " ".join(tags(dispatcher)) and "chemo" not in " ".join(tags(dispatcher))


def test_asking_whether_it_is_a_bot_is_no_question_about_bones(dispatcher, domain):
    ask(dispatcher, domain, "ben jij nu een bot of een echte mens?", "bot_challenge")
    assert dispatcher.messages[0]["response"] == "utter_iamabot"


def test_a_greeting_that_takes_leave_is_a_goodbye(dispatcher, domain):
    ask(dispatcher, domain, "oke dan ga ik morgen naar de dokter, dag hoor", "greet")
    assert dispatcher.messages[0]["response"] == "utter_goodbye"


def test_thanks_that_tell_what_comes_next_are_thanks(dispatcher, domain):
    ask(dispatcher, domain, "dank u, morgen begint de chemo", "thank")
    assert dispatcher.messages[0]["response"] == "utter_you_are_welcome"


def test_what_they_will_do_with_it_asks_the_treatment(dispatcher, domain):
    assert "content:lever/behandeling" in conversation(domain, [
        "Mijn man heeft uitzaaiingen in zijn lever.", "wat gaan ze daar nu mee doen?"])


def test_thanks_with_a_word_of_a_fact_is_still_thanks(dispatcher, domain):
    ask(dispatcher, domain, "u was een grote steun, dank u wel", "thank")
    assert dispatcher.messages[0]["response"] == "utter_you_are_welcome"


def test_how_cells_reach_one_named_site_is_that_sites_cause(dispatcher, domain):
    ask(dispatcher, domain, "hoe komen die kankercellen eigenlijk in je botten terecht?")
    assert "content:bot/oorzaak" in tags(dispatcher)
    ask(dispatcher, domain, "Het zit in haar lever en botten. Hoe verspreiden kankercellen zich?")
    assert "content:algemeen/verspreiding" in tags(dispatcher)


def test_a_negated_word_still_says_what_is_asked(dispatcher, domain):
    # "niet halen" is still the outlook; "geen chemo meer willen" still a treatment choice
    ask(dispatcher, domain, "mijn buurman zegt dat je met leveruitzaaiingen de zomer niet haalt")
    assert "content:lever/levensverwachting" in tags(dispatcher)
    ask(dispatcher, domain, "Mijn oom wil geen bestraling meer. Is dat wel verstandig?")
    assert "refusal:behandelkeuze" in tags(dispatcher)
    # ... but "niet behandeld" asks what happens without treatment: the outlook
    ask(dispatcher, domain, "wat gebeurt er als je botuitzaaiingen niet laat behandelen?")
    assert "content:bot/levensverwachting" in tags(dispatcher)


def test_a_search_box_query_beside_known_metastases_is_answered(dispatcher, domain):
    ask(dispatcher, domain, "behandeling levermetastasen", "share_diagnosis")
    assert "content:lever/behandeling" in tags(dispatcher)


def test_a_separable_verb_asks_about_treatment(dispatcher, domain):
    ask(dispatcher, domain, "hoe pakken ze zoiets aan in de botten?")
    assert "content:bot/behandeling" in tags(dispatcher)


def test_a_cue_says_the_topic_when_nothing_else_does(dispatcher, domain):
    assert "content:lever/behandeling" in conversation(domain, [
        "Mijn zus heeft uitzaaiingen in haar lever.", "kunnen ze dat wegsnijden?"])


def test_telling_where_it_is_now_is_no_question_for_a_diagnosis(dispatcher, domain):
    ask(dispatcher, domain, "Bij mijn opa zit het nu ook in zijn ribben.", "share_diagnosis")
    assert "known:bot" in tags(dispatcher)
    ask(dispatcher, domain, "zit het nu ook in zijn ribben", "ask_personal_diagnosis")
    assert "refusal:diagnose" in tags(dispatcher)


def test_a_diagnosis_asked_without_punctuation_is_declined(dispatcher, domain):
    ask(dispatcher, domain, "ik hoest al weken en ben moe zou ik nu uitzaaiingen hebben",
        "describe_symptoms")
    assert "refusal:diagnose" in tags(dispatcher)
    ask(dispatcher, domain, "ik slaap slecht en heb geen zin meer in eten heb ik dan nu kanker "
        "in mijn lever", "describe_symptoms")
    assert "refusal:diagnose" in tags(dispatcher)


def test_asking_the_bot_what_it_thinks_about_one_persons_future_is_declined(dispatcher, domain):
    ask(dispatcher, domain, "Zal hij de kerst nog halen, wat denkt u?", "ask_topic", site="bot")
    assert "refusal:prognose" in tags(dispatcher)
    ask(dispatcher, domain, "Ze zeggen dat de helft het overleeft. Hoort mijn man bij die helft?")
    assert "refusal:prognose" in tags(dispatcher)
    # the same words in general are answered
    ask(dispatcher, domain, "hoe lang leef je met leveruitzaaiingen, denk je?")
    assert "content:lever/levensverwachting" in tags(dispatcher)


def test_a_time_put_first_tells_the_metastases_and_the_question_is_answered(dispatcher, domain):
    ask(dispatcher, domain, "sinds de zomer heb ik uitzaaiingen in mijn botten en ik wil weten "
        "hoe ze dat behandelen", "share_diagnosis")
    assert "content:bot/behandeling" in tags(dispatcher)
    assert "refusal:diagnose" not in tags(dispatcher)


def test_a_question_after_a_story_of_complaints_is_answered_as_asked(dispatcher, domain):
    ask(dispatcher, domain, "Mijn tante is moe en mager, en nu zit het in haar lever. Hoe wordt "
        "dat behandeld?", "describe_symptoms")
    assert "content:lever/behandeling" in tags(dispatcher)


@pytest.mark.parametrize("text,subject", [
    ("wat mag mijn man eten met uitzaaiingen in de lever?", "voeding"),
    ("hoelang duurt de haaruitval na de chemo", "bijwerkingen"),
    ("wat zijn pulmonale metastasen", "longen"),
])
def test_subjects_the_text_does_not_cover_are_named_honestly(dispatcher, domain, text, subject):
    ask(dispatcher, domain, text)
    assert f"not_covered:{subject}" in tags(dispatcher)


@pytest.mark.parametrize("text", ["bedankt en tot ziens", "merci hoor, daag",
                                  "dank u wel voor alles en nog een fijne dag",
                                  "bedankt voor de uitleg en nog een fijne avond"])
def test_thanks_that_take_leave_get_the_goodbye(dispatcher, domain, text):
    """Thanks that also take leave: "graag gedaan", then the goodbye (not "can I help you with
    anything else?")."""
    ask(dispatcher, domain, text, "thank")
    assert [m.get("response") for m in dispatcher.messages] == [
        "utter_you_are_welcome", "utter_goodbye"]


def test_a_follow_up_fact_stays_within_the_conversations_topic(dispatcher, domain):
    ask(dispatcher, domain, "en als opereren niet gaat?", "inform", site="lever",
        topic="behandeling")
    assert "content:lever/behandeling" in tags(dispatcher)


def test_a_treatment_that_sets_the_scene_is_not_what_is_asked(dispatcher, domain):
    ask(dispatcher, domain, "en de lever, na de operatie?", "inform", site="bot",
        topic="levensverwachting")
    assert "content:lever/levensverwachting" in tags(dispatcher)


def test_the_first_cancer_named_in_a_why_question_is_the_story(dispatcher, domain):
    ask(dispatcher, domain, "Waarom zit het bij mijn zus in de halsklieren? Ze heeft tongkanker.")
    assert "content:lymfeklieren/oorzaak" in tags(dispatcher)


def test_asking_whether_it_is_now_another_cancer_is_no_diagnosis(dispatcher, domain):
    ask(dispatcher, domain, "heb ik nu dan ook botkanker?", "ask_personal_diagnosis")
    assert "content:algemeen/zelfde_kanker" in tags(dispatcher)
    assert "refusal:diagnose" not in tags(dispatcher)


def test_a_follow_up_site_keeps_the_topic(dispatcher, domain):
    events = ask(dispatcher, domain, "en bij de botten?", "inform", site="lever", topic="symptomen")
    assert "Uitzaaiingen in het bot: klachten" in said(dispatcher)
    assert SlotSet("site", "bot") in events and SlotSet("topic", "symptomen") in events


def test_a_treatment_without_a_site_gets_what_the_text_says_and_where(dispatcher, domain):
    ask(dispatcher, domain, "wat is immunotherapie?", "nlu_fallback")
    text = said(dispatcher)
    assert "treatment:immunotherapie" in tags(dispatcher)
    assert "immunotherapie" in text and "staat er niet in" in text


def test_a_place_the_text_does_not_cover_is_answered_honestly(dispatcher, domain):
    ask(dispatcher, domain, "Wat is de levensverwachting bij uitzaaiingen in de longen?")
    text = said(dispatcher)
    assert "not_covered:longen" in tags(dispatcher) and "staat niets in de tekst" in text
    assert not [t for t in tags(dispatcher) if t.startswith(("content:lever", "content:bot"))]


@pytest.mark.parametrize("text", [
    "Hoe wordt lymfeklierkanker behandeld?",
    "Is een lymfoom iets anders dan uitzaaiingen in de lymfeklieren?",
])
def test_lymphoma_is_not_lymph_node_metastases(dispatcher, domain, text):
    ask(dispatcher, domain, text)
    assert "not_covered:lymfoom" in tags(dispatcher)
    assert "content:lymfeklieren/behandeling" not in tags(dispatcher)


def test_nothing_recognised_asks_to_rephrase(dispatcher, domain):
    ask(dispatcher, domain, "tja", "nlu_fallback")
    assert [m["response"] for m in dispatcher.messages] == ["utter_rephrase"]


def test_small_talk_that_asks_for_content_is_answered(dispatcher, domain):
    ask(dispatcher, domain, "Hallo, hoe ontstaan botuitzaaiingen?", "greet")
    assert "content:bot/oorzaak" in tags(dispatcher)


def test_small_talk_gets_its_response(dispatcher, domain):
    ask(dispatcher, domain, "dank je wel", "thank")
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_you_are_welcome", "utter_anything_else"]


# --- people who already know, relatives, people in shock ------------------------------------

def test_someone_who_knows_gets_warmth_and_the_offer_for_the_site(dispatcher, domain):
    ask(dispatcher, domain, "Ik heb uitzaaiingen in mijn botten", "ask_personal_diagnosis")
    text = said(dispatcher)
    assert "known:bot" in tags(dispatcher) and "Wat naar" in text
    assert "Alleen een arts kan dat vaststellen" not in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]][0].startswith(
        '/inform{"site":"bot"')


def test_a_story_of_treatments_before_the_news_is_no_question(dispatcher, domain):
    ask(dispatcher, domain, "Mijn broer is drie jaar geleden geopereerd aan zijn darm en kreeg "
        "daarna chemo. Nu zijn er toch uitzaaiingen in zijn lever gevonden. Ik ben er stil van.",
        "share_diagnosis")
    assert "known:lever" in tags(dispatcher)


@pytest.mark.parametrize("text,general", [
    ("Mijn tante heeft uitzaaiingen in haar lever na darmkanker. Heeft ze er nu een tweede "
     "kanker bij gekregen?", "zelfde_kanker"),
    ("Bij mij hebben ze vlekken op de lever gezien en pas daarna de darmkanker. Hoe kan het "
     "dat ze de kanker pas vinden door de uitzaaiingen?", "ontdekking_prognose"),
])
def test_a_general_question_beats_the_site_of_the_story(dispatcher, domain, text, general):
    ask(dispatcher, domain, text)
    assert f"content:algemeen/{general}" in tags(dispatcher)


def test_a_scan_told_in_the_story_is_no_subject_of_its_own(dispatcher, domain):
    ask(dispatcher, domain, "Volgende week krijg ik een CT-scan. Welke behandelingen zijn er "
        "bij uitzaaiingen?")
    assert "content:algemeen/behandeling" in tags(dispatcher)
    assert not any(t.startswith("not_covered") for t in tags(dispatcher))


def test_a_relative_is_answered_about_the_relative(dispatcher, domain):
    ask(dispatcher, domain, "Mijn vader heeft uitzaaiingen in zijn lever. Hoe worden die behandeld?")
    text = said(dispatcher)
    assert "uw vader" in text and "zijn behandelend arts" in text
    assert not re.search(r"\b(heeft u|u heeft|krijgt u)\b", text.split("Let op")[0])


def test_the_relative_with_the_metastases_is_the_one_answered_about(dispatcher, domain):
    # the sister only cries; the father has the metastases
    ask(dispatcher, domain, "Gisteren hoorde mijn vader dat het in zijn botten zit. Mijn zus "
                            "zit alleen maar te huilen. Hoe wordt zoiets behandeld?")
    text = said(dispatcher)
    assert "uw vader" in text and "uw zus" not in text


def test_an_upset_writer_gets_one_empathic_sentence_first(dispatcher, domain):
    ask(dispatcher, domain, "Mijn zus hoorde vandaag dat haar kanker is uitgezaaid, we zijn er "
                            "kapot van. Wat gebeurt er nu eigenlijk in haar lichaam?", "ask_spread")
    assert dispatcher.messages[0]["tags"] == ["empathy"]
    assert "content:algemeen/verspreiding" in tags(dispatcher)


@pytest.mark.parametrize("text", [
    "Ik liep met lood in mijn schoenen naar het gesprek. Hoe worden klieruitzaaiingen behandeld?",
    "Mijn hart zakte in mijn schoenen bij de uitslag. Wat is de levensverwachting bij botuitzaaiingen?",
    "Ik ben helemaal van de kaart. Wat zijn uitzaaiingen eigenlijk?",
    "Ik typ dit met trillende handen. Hoe ontstaan uitzaaiingen in de lever?",
])
def test_upset_said_in_figures_of_speech_gets_a_warm_word(dispatcher, domain, text):
    ask(dispatcher, domain, text)
    assert dispatcher.messages[0]["tags"] == ["empathy"], dispatcher.messages


def test_numbers_from_elsewhere_are_neither_confirmed_nor_disputed(dispatcher, domain):
    ask(dispatcher, domain, "Iemand zei dat de helft met leveruitzaaiingen het jaar niet haalt. "
                            "Wat is de levensverwachting?")
    text = said(dispatcher)
    assert "niet bevestigen of tegenspreken" in text and "40-50%" in text
    assert "helft" not in text


# --- complaints -----------------------------------------------------------------------------

def test_orientation_names_the_site_and_the_other_complaints(dispatcher, domain):
    ask(dispatcher, domain, "Ik ben steeds misselijk en mijn ogen waren vorig jaar geel, nu "
                            "niet meer. Waar kan dat van komen?", "describe_symptoms")
    text = said(dispatcher)
    assert "bij uitzaaiingen in de lever" in text and "geen diagnose" in text
    assert "orientation:lever" in tags(dispatcher)


def test_an_unknown_complaint_gets_an_honest_answer(dispatcher, domain):
    ask(dispatcher, domain, "Ik heb al weken jeuk, waar kan dat van komen?", "describe_symptoms")
    assert "orientation:none" in tags(dispatcher)
    assert "zegt de tekst" in said(dispatcher)


def test_someone_who_knows_and_asks_about_a_new_complaint_is_oriented(dispatcher, domain):
    ask(dispatcher, domain, "Mijn zus heeft uitzaaiingen in haar botten. Nu heeft ze een bult in "
        "haar nek, waar kan die bij horen?", "describe_symptoms")
    assert "orientation:lymfeklieren" in tags(dispatcher)


def test_a_complaint_the_text_does_not_name_is_oriented_honestly_in_a_story(dispatcher, domain):
    ask(dispatcher, domain, "Mijn broer is vaak duizelig. Hij heeft ooit darmkanker gehad. "
        "Waar kan dat mee te maken hebben?", "ask_topic")
    assert "orientation:none" in tags(dispatcher)


# --- personal questions: never a diagnosis, a personal prognosis, a treatment choice, a dose --

@pytest.mark.parametrize("text,intent,refusal", [
    ("heb ik uitzaaiingen?", "ask_personal_diagnosis", "diagnose"),
    ("Zit het nu ook in mijn lever? Ik ben zo moe en misselijk", "describe_symptoms", "diagnose"),
    ("hoe lang heb ik nog met uitzaaiingen in de botten?", "ask_personal_prognosis", "prognose"),
    ("Komt mijn man hier doorheen, denk je?", "share_diagnosis", "prognose"),
    ("zou jij stoppen met de chemo?", "ask_personal_treatment", "behandelkeuze"),
    ("moet ik mijn vader ompraten zodat hij het wel doet?", "nlu_fallback", "behandelkeuze"),
    ("Mijn oom is zo mager geworden. Zou dat van uitzaaiingen komen?", "ask_topic", "diagnose"),
    ("Ben ik nu eigenlijk al te laat?", "ask_topic", "prognose"),
    ("hoeveel oxycodon mag ik nemen?", "ask_topic", "dosering"),
])
def test_personal_questions_are_declined_kindly(dispatcher, domain, text, intent, refusal):
    ask(dispatcher, domain, text, intent)
    text_said = said(dispatcher)
    assert f"refusal:{refusal}" in tags(dispatcher)
    assert_no_forbidden_phrasing(text_said)
    assert "arts" in text_said and text_said.endswith(content().disclaimer)


@pytest.mark.parametrize("text,refusal", [
    ("Mijn zus twijfelt: is opereren of bestralen beter voor haar?", "behandelkeuze"),
    ("Wil dat zeggen dat ik kanker heb?", "diagnose"),
    ("zou de chemo bij hem aanslaan?", "prognose"),
])
def test_more_ways_of_asking_about_ones_own_case(dispatcher, domain, text, refusal):
    ask(dispatcher, domain, text, "ask_topic")
    assert f"refusal:{refusal}" in tags(dispatcher)


def test_the_first_cancer_beside_a_named_topic_is_the_story(dispatcher, domain):
    ask(dispatcher, domain, "hoe behandelen ze uitzaaiingen in het bot bij prostaatkanker meestal?")
    assert "content:bot/behandeling" in tags(dispatcher)
    ask(dispatcher, domain, "waar komen die uitzaaiingen in de lever eigenlijk vandaan?")
    assert "content:lever/oorzaak" in tags(dispatcher)


# the classifier's intent says nothing personal here: the subject of the asking clause and
# its predicate do (actions/decide.py, own_question)
@pytest.mark.parametrize("text,refusal", [
    ("Onze oma heeft het in haar ruggenwervels. Zal ze volgend voorjaar nog meemaken?",
     "prognose"),
    ("denkt u dat mijn schoonvader het nog lang volhoudt, kan hij nog jaren leven?", "prognose"),
    ("ze gaat het toch wel redden?", "prognose"),
    ("hoeveel procent kans dat mijn tante het haalt met die klieren?", "prognose"),
    ("Mijn heup doet al een tijd zeer. Zou de kanker bij mij ook uitgezaaid zijn?", "diagnose"),
    ("Mijn broer stopt met de bestraling van zijn hals. Is dat wel verstandig van hem?",
     "behandelkeuze"),
])
def test_a_persons_own_case_in_general_words_is_declined(dispatcher, domain, text, refusal):
    ask(dispatcher, domain, text, "ask_topic")
    assert f"refusal:{refusal}" in tags(dispatcher)
    assert_no_forbidden_phrasing(said(dispatcher))


@pytest.mark.parametrize("text", [
    "Mijn oma heeft het in haar ruggenwervels. Hoe lang kun je daar gemiddeld nog mee leven?",
    "hoeveel jaar leven mensen nog met uitzaaiingen in de lever?",
    "Hadden ze niet eerder kunnen zien dat het zou uitzaaien?",
    # a share of everyone, nobody named
    "welk percentage haalt het na het opereren van de lever?",
])
def test_the_same_words_asked_in_general_are_answered(dispatcher, domain, text):
    ask(dispatcher, domain, text, "ask_topic")
    assert not any(t.startswith("refusal:") for t in tags(dispatcher)), tags(dispatcher)


def test_a_personal_prognosis_gets_the_general_figures_of_the_site(dispatcher, domain):
    ask(dispatcher, domain, "Hoe lang heeft mijn vader nog? Hij heeft uitzaaiingen in zijn lever.",
        "ask_personal_prognosis")
    text = said(dispatcher)
    assert "40-50%" in text and "niets zekers over één persoon" in text


# --- emergencies: the advice, and nothing that distracts from it ----------------------------

def alarm(dispatcher, domain, text):
    the_tracker = tracker(text, "ask_topic")
    level = (the_tracker.latest_message.get("alarm") or {}).get("level")
    if level:
        run(ActionRespondToAlarm(), dispatcher, domain, the_tracker)
    return level


@pytest.mark.parametrize("text,level,number", [
    ("Ik heb pijn in mijn borst", "levensbedreigend", "112"),
    ("ik heb plots ne felle pijn in mijne borst", "levensbedreigend", "112"),
    ("mijn vader krijgt geen lucht meer", "levensbedreigend", "112"),
    ("ik wil er een einde aan maken", "zelfdoding", "0800-0113"),
    ("ik zie het niet meer zitten, ik wil er niet meer zijn", "zelfdoding", "1813"),
])
def test_life_threatening_and_suicide_get_only_the_advice(dispatcher, domain, text, level, number):
    assert alarm(dispatcher, domain, text) == level
    assert number in dispatcher.messages[0]["text"]
    assert tags(dispatcher) == [f"alarm:{level}", "alarm_closing"]


@pytest.mark.parametrize("text,level", [
    ("zijn ogen ineens geel?? hij heeft uitzaaiingen in de lever", "spoed"),
    ("ik sta op de brug en weet niet waarom ik dit schrijf", "zelfdoding"),
    ("als ik niet meer wakker word is het ook goed", "zelfdoding"),
    ("mijn broer zei dat hij het geweer van onze vader nog in de kast heeft liggen", "zelfdoding"),
    ("mijn schoonmoeder is omgevallen in de badkamer en ligt daar, ze zegt niets", "levensbedreigend"),
    ("hij is gevallen en ligt op de vloer, hij zegt niks", "levensbedreigend"),
    ("de wond aan zijn been bloedt en het houd niet op, de theedoek is al helemaal rood",
     "levensbedreigend"),
    ("mijn rug doet zon pijn dat ik het uitschreeuw", "spoed"),
    # ... but not what happens now: "het bleek" does not make a present sign harmless
    ("mijn vader is net flauwgevallen, het bleek dat hij ook zijn arm niet meer kan bewegen",
     "levensbedreigend"),
    # a reading is told, even asked in a search-box way; "had ik nog niet" says it is new
    ("temperatuur 39,8 en rillingen na de chemo, normaal?", "spoed"),
    ("mijn man zegt dat mijn ogen geel zien, dat had ik gisteren nog niet", "spoed"),
    ("vrouw geel. leveruitzaaiingen. sinds gisteren. wat moet ik doen", "spoed"),
    # a "sinds" of now beside a long-standing complaint
    ("hij heeft al jaren rugpijn maar sinds een uur is zijn linkerarm verlamd", "levensbedreigend"),
    ("mijn zus is sinds vanmorgen zo geel, ze heeft uitzaaiingen in haar lever", "spoed"),
    ("sinds een kwartier kan ik mijn linkerarm ineens niet meer bewegen", "levensbedreigend"),
    ("mijn vader kan zijn benen sinds vanmiddag helemaal niet meer bewegen", "levensbedreigend"),
])
def test_signs_told_in_few_words_are_alarms(dispatcher, domain, text, level):
    assert alarm(dispatcher, domain, text) == level


def test_urgent_advice_comes_first_and_names_only_the_described_complaint(dispatcher, domain):
    assert alarm(dispatcher, domain, "ik denk dat mijn heup gebroken is") == "spoed"
    first, text = dispatcher.messages[0]["text"], said(dispatcher)
    assert "huisartsenpost" in first and "1733" in first
    assert "een bot dat breekt" in text and "vetbult" not in text and "also_listed" not in tags(
        dispatcher)


def alarm_conversation(domain, texts):
    """An alarm message, then messages to the answering action; the tags of the last reply."""
    return conversation(domain, texts, first=ActionRespondToAlarm)


def test_a_question_about_following_the_advice_gets_the_advice_again(dispatcher, domain):
    assert alarm_conversation(domain, [
        "mijn vrouw haar ogen zijn sinds vanmorgen geel", "kan dat niet tot morgen wachten?"]
    )[0] == "alarm:spoed"
    assert alarm_conversation(domain, [
        "ik wil niet meer leven", "naar welk nummer bel ik in belgie?"]
    ) == ["alarm:zelfdoding", "alarm_closing"]
    # thanks, or a new question, are answered as such
    assert "alarm:spoed" not in alarm_conversation(domain, [
        "mijn vrouw haar ogen zijn sinds vanmorgen geel", "goed, ik bel de huisarts, dank u"])
    assert "content:bot/behandeling" in alarm_conversation(domain, [
        "mijn vrouw haar ogen zijn sinds vanmorgen geel",
        "dank u. hoe worden botuitzaaiingen behandeld?"])


@pytest.mark.parametrize("text", [
    "ik droomde vannacht dat ik geen lucht meer kreeg",
    "ik was precies verlamd toen de dokter het zei, hoe lang duurt bestraling?",
    "geel worden bij uitzaaiingen in de lever hoe ontstaat dat",
    "de arts gebruikt de woorden metastase en uitzaaiing door elkaar, is dat hetzelfde?",
    "in de brochure staat dat je bij plotselinge hevige pijn moet bellen, goed om te weten",
    "Ik heet Piet", "mijn naam is Jan de Vries", "Ik heet Ingrid Borst en heb een vraag",
    "ik heb geen pijn op de borst maar wel buikpijn", "vorig jaar mijn arm gebroken",
    "Kan een uitzaaiing in het bot een breuk geven?", "Is geelzucht een teken van leveruitzaaiingen?",
    "ik doe ademhalingsoefeningen", "al maanden een beetje moe",
    "ik stikte gisteren van de lach om de hond, hoe lang duurt een chemokuur?",
    "als meisje heb ik mijn pols gebroken, nu zit het in mijn wervels, wat doen ze daaraan?",
    "afgelopen zomer heb ik bloed opgehoest, dat was een longontsteking, nu gaat het goed",
    # found to be something else, or checked: over
    "mijn zus was duizelig en flauwgevallen, de dokter heeft haar nagekeken en het bleek haar suiker",
    "ik wilde weten of het klopt dat uitzaaiingen in de lever je geel kunnen maken",
    "bij hoeveel graden koorts moet je de huisarts bellen als je chemo krijgt?",
    "sinds het slechte nieuws zegt mijn vader niks meer over zijn ziekte, hoe ga ik daarmee om?",
    # a figure of speech said to be one; a "sinds" that is long-standing
    "toen de arts het zei kon ik niet meer ademen, figuurlijk dan, nu wil ik weten wat RFA is",
    "mijn tante is al sinds haar jeugd half verlamd aan haar rechterkant, nu heeft ze botmeta's",
    "mijn broer heeft sinds jaren een verlamd been, hoe behandelen ze uitzaaiingen in de heup?",
    # the name of a help line, a fear of a sign, prevention, a difference asked, an old complaint
    "ik las in de krant over de zelfmoordlijn, bestaat zoiets ook voor mantelzorgers?",
    "mijn oom is al vijftien jaar kortademig door zijn copd, nu heeft hij botmeta's",
    "hoe kan ik voorkomen dat mijn heup breekt nu er uitzaaiingen in zitten?",
    "verschil tussen een breuk en een scheurtje in het bot bij uitzaaiingen",
    "ik ben zo bang voor geelzucht bij mijn vrouw, waar moet ik op letten bij leveruitzaaiingen?",
    "moeten we de huisarts bellen als hij zijn plas niet meer kan ophouden? nu gaat alles goed",
])
def test_near_misses_raise_no_alarm(text):
    assert tracker(text).latest_message.get("alarm") is None


def test_every_level_names_belgian_numbers_beside_dutch_ones():
    advice = {name: level.advice for name, level in content().alarm_levels.items()}
    assert "1813" in advice["zelfdoding"] and "0800-0113" in advice["zelfdoding"]
    assert "1733" in advice["spoed"] and "112" in advice["levensbedreigend"]


@pytest.mark.parametrize("text,treatment", [
    ("wat is een operatie bij uitzaaiingen?", "operatie"),
    ("wat is wegbranden?", "wegbranden"), ("wat houdt RFA in?", "wegbranden"),
    ("wat doet chemo?", "chemotherapie"), ("wat is immunotherapie?", "immunotherapie"),
    ("hoe werkt bestraling?", "bestraling"), ("wat is hormonale therapie?", "hormonale_therapie"),
    ("wat is doelgerichte therapie?", "doelgerichte_therapie"),
    ("helpen pijnstillers?", "pijnstillers"),
])
def test_every_named_treatment_gets_what_the_text_says_and_where(dispatcher, domain, text,
                                                                treatment):
    ask(dispatcher, domain, text)
    said_tags = tags(dispatcher)
    assert f"treatment:{treatment}" in said_tags or any(
        t.startswith(("fact:", "section:")) and t.endswith("/behandeling") or t.startswith("fact:")
        for t in said_tags), said_tags
    assert said(dispatcher).endswith(content().disclaimer)


# --- batch-8 dev misses, fixed in general (own wording) -----------------------------------

@pytest.mark.parametrize("text,intent", [
    # the intent alone does not refuse a question that names what it asks about
    ("Ons pa had een melanoom op zijn arm. Zaait zoiets ook uit naar de lever?",
     "ask_personal_diagnosis"),
    ("Mijn tante is bang. Kan zoiets in de familie zitten, is het erfelijk?",
     "ask_personal_diagnosis"),
])
def test_a_general_question_is_not_refused_on_the_intent_alone(dispatcher, domain, text, intent):
    ask(dispatcher, domain, text, intent)
    assert not any(t.startswith("refusal:") for t in tags(dispatcher)), tags(dispatcher)


def test_a_cancer_that_spreads_to_a_site_asks_for_its_cause(dispatcher, domain):
    ask(dispatcher, domain, "Ons pa had een melanoom op zijn arm. Zaait zoiets ook uit naar de lever?",
        "ask_topic")
    assert "fact:lever_cause_other_organs" in tags(dispatcher)


def test_a_phrase_put_first_then_the_verb_tells(dispatcher, domain):
    # "Bij hem is het uitgezaaid": told, not asked (no diagnosis refusal)
    ask(dispatcher, domain, "Bij hem is het uitgezaaid naar de lever, dat zeiden ze gisteren.",
        "share_diagnosis")
    assert "known:lever" in tags(dispatcher)


def test_what_they_do_against_a_complaint_asks_about_treatment(dispatcher, domain):
    ask(dispatcher, domain, "Hij heeft al maanden last van zijn heup, wat geven ze tegen die pijn?",
        "describe_symptoms", site="bot")
    assert "fact:bot_treat_pain_relief" in tags(dispatcher)


@pytest.mark.parametrize("text,refusal", [
    ("dus dan heeft ze het weer?", "diagnose"),  # "het weer": again, not the weather
    ("mijn oom had darmkanker, zit het bij hem nu ook in de lever?", "diagnose"),
    ("er zit een harde bobbel op mijn onderarm, is dat er een?", "diagnose"),
    ("al weken last van mijn nek. heb ik nu botuitzaaiingen?", "diagnose"),
    ("betekend dit dat ik kanker heb", "diagnose"),  # a common misspelling of "betekent"
    ("Vind je dat ik er ook bestraling bij moet nemen?", "behandelkeuze"),
])
def test_more_own_case_questions(dispatcher, domain, text, refusal):
    ask(dispatcher, domain, text, "ask_topic")
    assert f"refusal:{refusal}" in tags(dispatcher)


def test_leave_from_work_is_a_practical_question(dispatcher, domain):
    ask(dispatcher, domain, "Kan ik verlof nemen van mijn werk nu mijn man uitzaaiingen heeft?",
        "ask_personal_diagnosis")
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


def test_despair_in_a_short_question_gets_an_empathic_sentence_first(dispatcher, domain):
    ask(dispatcher, domain, "is er voor hem dan echt geen hoop meer?", "ask_topic", site="lever",
        topic="levensverwachting")
    assert tags(dispatcher)[0] == "empathy"


def test_a_follow_up_that_names_a_topic_by_its_facts(domain):
    # after the complaints, "and if nothing is done" asks about the outlook
    assert "fact:lymf_prog_treat_early" in conversation(domain, [
        "welke klachten geven uitzaaiingen in de lymfeklieren?",
        "en wat gebeurt er als je niet behandeld wordt?"])
    # "wat dan" asks the same topic for another case
    assert "content:lever/behandeling" in conversation(domain, [
        "welke behandeling krijg je bij leveruitzaaiingen?",
        "en als opereren niet lukt, wat dan"])
    # what the outlook depends on, after the outlook
    assert "fact:lymf_prog_number" in conversation(domain, [
        "wat is de levensverwachting bij uitzaaiingen in de halsklieren?",
        "waar hangt dat vanaf?"])


def test_a_question_leaning_on_the_conversations_site_is_no_orientation(domain):
    assert "content:bot/symptomen" in conversation(domain, [
        "mijn oom heeft uitzaaiingen in zijn bekken", "doet hem dat dan veel pijn?"],
        intent="describe_symptoms")


@pytest.mark.parametrize("text", [
    "Mijn schoonvader is erg moe, eet slecht en is vermagerd, hij had vroeger darmkanker. "
    "Op wat voor uitzaaiingen zou dat kunnen wijzen?",
    "Mijn moeder heeft sinds weken pijn in haar bovenbeen, ze had borstkanker. "
    "Waar kan die pijn door komen?",
])
def test_which_metastases_fit_the_complaints_is_an_orientation(dispatcher, domain, text):
    ask(dispatcher, domain, text, "ask_topic")
    assert any(t.startswith("orientation:") for t in tags(dispatcher)), tags(dispatcher)


@pytest.mark.parametrize("text,refusal", [
    ("Mijn zus twijfelt of ze nog door moet gaan met de bestraling. Wat moet ze doen?",
     "behandelkeuze"),
    ("Moet ik voor de chemo gaan of voor de operatie?", "behandelkeuze"),
    ("mag ik haar naast haar andere medicijnen ook paracetamol geven, hoeveel dan?", "dosering"),
])
def test_choices_and_doses_in_other_words(dispatcher, domain, text, refusal):
    ask(dispatcher, domain, text, "ask_topic")
    assert f"refusal:{refusal}" in tags(dispatcher)


@pytest.mark.parametrize("text", [
    "hoe laat begint het bezoekuur op de afdeling waar mijn vader ligt?",
    "Mag ze met die botuitzaaiingen nog naar de fitness?",
    "De hypotheekadviseur vraagt een brief van de oncoloog, hoe kom ik daaraan?",
])
def test_more_practical_questions(dispatcher, domain, text):
    ask(dispatcher, domain, text, "ask_topic")
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


def test_how_can_that_be_asks_for_the_cause(dispatcher, domain):
    ask(dispatcher, domain, "Mijn buurman heeft het in zijn lever gekregen, hoe kan dat nou?",
        "share_diagnosis")
    assert any(t.endswith("lever/oorzaak") for t in tags(dispatcher)), tags(dispatcher)


def test_a_first_cancer_asked_about_is_a_question_about_the_cause(domain):
    assert "fact:bot_cause_60_thyroid" in conversation(domain, [
        "waarom zaait prostaatkanker vaak uit naar het bot?",
        "en bij schildklierkanker? mijn zus heeft dat"], intent="ask_personal_diagnosis")


def test_spreading_asked_about_ones_own_body_is_still_declined(dispatcher, domain):
    # "uitgezaaid" has the lemma "uitzaaien": only a general question asks for the cause
    ask(dispatcher, domain, "Mijn broer heeft pijn in zijn zij. Zou het bij hem naar de lever "
        "uitgezaaid zijn?", "ask_personal_diagnosis")
    assert "refusal:diagnose" in tags(dispatcher)


def test_a_known_spread_sets_no_topic_for_the_follow_up(domain):
    assert "content:bot/behandeling" in conversation(domain, [
        "Bij mijn oom is het uitgezaaid naar zijn botten, dat zeiden ze vanmorgen.",
        "wat doen ze daar meestal aan?"], intent="share_diagnosis")


def test_what_the_doctor_told_is_no_question_for_a_diagnosis(dispatcher, domain):
    ask(dispatcher, domain, "de specialist heeft gezegd dat ik uitzaaiingen heb in de lever, "
        "ik wil graag weten hoe ze dat aanpakken", "ask_personal_diagnosis")
    assert "content:lever/behandeling" in tags(dispatcher), tags(dispatcher)


def test_not_understanding_how_asks_how(dispatcher, domain):
    ask(dispatcher, domain, "bij mijn vader zit het nu in de botten van zijn rug, ik snap niet "
        "goed hoe dat komt", "share_diagnosis")
    assert any(t.endswith("bot/oorzaak") for t in tags(dispatcher)), tags(dispatcher)


@pytest.mark.parametrize("text", [
    "Mijn zus heeft sinds een maand pijn in haar rug, ze werd drie jaar geleden behandeld voor "
    "borstkanker. Waar zou zoiets bij passen?",
    "Mijn oom valt af en heeft een zeurende pijn rechts in zijn buik. Welke organen kunnen zulke "
    "klachten geven?",
])
def test_complaints_and_what_they_belong_to_is_an_orientation(dispatcher, domain, text):
    ask(dispatcher, domain, text, "ask_topic")
    assert any(t.startswith("orientation:") for t in tags(dispatcher)), tags(dispatcher)


def test_how_to_use_the_bot_gets_its_help(dispatcher, domain):
    ask(dispatcher, domain, "ik ben niet zo handig met de computer, wat moet ik hier doen?",
        "describe_symptoms")
    assert dispatcher.messages[0]["response"] == "utter_help"


def test_a_follow_up_asking_why_is_no_question_about_the_bot(domain):
    assert "content:bot/oorzaak" in conversation(domain, [
        "ik heb uitzaaiingen in mijn bekken", "waar komt zoiets door?"], intent="bot_challenge")
    from rasa_sdk.executor import CollectingDispatcher

    asked = CollectingDispatcher()
    run(ActionAnswerQuestion(), asked, domain, tracker("hoe werkt dat, ben je een echte mens?",
                                                       "bot_challenge", {}))
    assert asked.messages[0]["response"] == "utter_iamabot"


def test_the_storys_treatment_is_not_what_a_question_with_its_own_cues_asks(dispatcher, domain):
    ask(dispatcher, domain, "De chirurg heeft de tumor weggehaald. Zaait een grote tumor "
        "sneller uit dan een kleine?", "ask_spread")
    assert "content:algemeen/oorzaak" in tags(dispatcher), tags(dispatcher)


def test_taking_away_all_nodes_asks_the_treatment(dispatcher, domain):
    ask(dispatcher, domain, "Halen ze bij uitzaaiingen in de hals dan alle klieren weg, of zijn "
        "er ook andere mogelijkheden?", "ask_topic")
    assert "content:lymfeklieren/behandeling" in tags(dispatcher), tags(dispatcher)


def test_what_metastases_are_asked_beside_a_site(dispatcher, domain):
    ask(dispatcher, domain, "kunt u me uitleggen wat uitzaaiingen eigenlijk zijn, mijn vader "
        "heeft het in zijn botten", "ask_topic")
    assert "content:algemeen/definitie" in tags(dispatcher), tags(dispatcher)


def test_how_cells_reach_a_told_site_asks_its_cause(dispatcher, domain):
    ask(dispatcher, domain, "Mijn man heeft uitzaaiingen in de klieren van zijn lies. Hoe komen "
        "die cellen daar terecht?", "ask_topic")
    assert "content:lymfeklieren/oorzaak" in tags(dispatcher), tags(dispatcher)
    ask(dispatcher, domain, "Mijn man heeft uitzaaiingen in de klieren van zijn lies. Hoe "
        "verspreidt zoiets zich door je lichaam?", "ask_topic")
    assert "content:algemeen/verspreiding" in tags(dispatcher), tags(dispatcher)


def test_a_search_box_query_is_no_goodbye(dispatcher, domain):
    ask(dispatcher, domain, "hormonale therapie uitleg", "goodbye")
    assert any(t.startswith(("treatment:", "content:", "fact:", "section:"))
               for t in tags(dispatcher)), tags(dispatcher)


def test_how_often_a_treatment_is_given_is_no_choice(domain):
    replied = conversation(domain, ["Mijn moeder heeft uitzaaiingen in haar wervels.",
                                    "hoe vaak moet ze daarvoor bestraald worden?"])
    assert not any(t.startswith("refusal:") for t in replied), replied


def test_why_a_tumour_cannot_always_be_removed_is_in_the_outlook_section(domain):
    # the treatment words ask for a fact of the outlook section (asked_with in facts.yml)
    assert "fact:bot_prog_curative_not_always" in conversation(domain, [
        "mijn broer heeft een uitzaaiing in zijn bekken",
        "waarom lukt het niet altijd om zo'n tumor helemaal weg te halen?"],
        intent="share_diagnosis")


@pytest.mark.parametrize("text", [
    "wat zijn dat nu eigenlijk, uitzaaiingen? ik hoor het woord overal",
    "Wat is het verschil tussen een uitzaaiing en een tweede tumor?",
])
def test_asking_what_metastases_are_is_no_question_for_a_diagnosis(dispatcher, domain, text):
    ask(dispatcher, domain, text, "ask_definition")
    assert not any(t.startswith("refusal:") for t in tags(dispatcher)), tags(dispatcher)


def test_hoping_something_can_still_be_done_gets_an_empathic_sentence_first(dispatcher, domain):
    ask(dispatcher, domain, "kunnen ze aan die plekjes in haar lever nog iets doen?", "ask_topic")
    assert tags(dispatcher)[0] == "empathy", tags(dispatcher)


@pytest.mark.parametrize("text,site", [
    ("Mijn zus heeft uitzaaiingen in haar lever en eet haast niks meer. Hoort dat erbij?", "lever"),
    ("Ik heb botuitzaaiingen. Waarom heb ik zo'n last van mijn rug?", "bot"),
])
def test_a_complaint_at_a_known_site_asks_its_complaints(dispatcher, domain, text, site):
    ask(dispatcher, domain, text, "ask_topic")
    assert f"content:{site}/symptomen" in tags(dispatcher) or any(
        t == f"section:{site}/symptomen" for t in tags(dispatcher)), tags(dispatcher)


def test_a_search_box_query_the_classifier_read_as_thanks_is_answered(dispatcher, domain):
    """Thanks take leave of a question only with a word of thanks."""
    ask(dispatcher, domain, "immunotherapie uitleg", "thank")
    assert any(t.startswith(("treatment:", "content:", "fact:", "section:"))
               for t in tags(dispatcher)), tags(dispatcher)
    ask(dispatcher, domain, "merci, morgen krijgt hij zijn eerste bestraling", "thank")
    assert dispatcher.messages[0]["response"] == "utter_you_are_welcome"


def test_thanks_from_someone_who_says_how_hard_it_is_get_a_warm_word(dispatcher, domain):
    ask(dispatcher, domain, "bedankt hoor, ik zit hier gewoon te huilen", "thank")
    assert "empathy" in tags(dispatcher)
    assert [m.get("response") for m in dispatcher.messages][-2:] == [
        "utter_you_are_welcome", "utter_anything_else"]


@pytest.mark.parametrize("texts", [
    ["Mijn oom krijgt chemo en bestraling in dezelfde weken. Waarom die twee samen?"],
    ["Mijn vrouw heeft uitzaaiingen in haar halsklieren.",
     "ze bestralen ook de kant waar niks zit, waarom?"],
    ["mijn maat heeft keelkanker, ze bestralen zijn klieren ook terwijl daar niks zit?? waarom"],
])
def test_why_a_treatment_is_given_asks_about_the_treatment(domain, texts):
    replied = conversation(domain, texts)
    assert any(t.endswith("/behandeling") or t.startswith(("treatment:", "fact:lymf_treat"))
               for t in replied), replied


def test_what_kind_of_consequences_asks_the_complaints(dispatcher, domain):
    ask(dispatcher, domain, "mijn zus heeft uitzaaiingen in haar lever, wat voor klachten kan "
                            "ze daarvan krijgen", "share_diagnosis")
    assert "content:lever/symptomen" in tags(dispatcher) or any(
        t.startswith("fact:lever_symptoms") for t in tags(dispatcher)), tags(dispatcher)


def test_an_upset_writer_gets_a_warm_word_before_a_question_back(dispatcher, domain):
    ask(dispatcher, domain, "ik ben zo bang, de lever", "nlu_fallback")
    assert tags(dispatcher)[:1] == ["empathy"], tags(dispatcher)
    assert dispatcher.messages[-1]["response"] == "utter_ask_topic"


@pytest.mark.parametrize("text", [
    "Mijn broer voelde niks en nu zit het in zijn botten. Hoe kan het dat ze kanker pas "
    "ontdekken als het al is uitgezaaid?",
    "Bij mijn tante vonden ze een uitzaaiing in haar lever maar ze zoeken nog waar het begonnen "
    "is. Hoe kan dat?",
])
def test_cancer_found_through_its_metastases_is_the_general_answer(dispatcher, domain, text):
    ask(dispatcher, domain, text)
    assert "content:algemeen/ontdekking_prognose" in tags(dispatcher), tags(dispatcher)


@pytest.mark.parametrize("text", [
    "Er zitten uitzaaiingen in mijn wervels en mijn kinderen zijn nog klein. Is dit het einde "
    "voor mij?",
    "mijn broer heeft leveruitzaaiingen gekregen. gaat hij dit halen?",
    "vertel me eerlijk of ik dit ga overleven, het zit in mijn halsklieren",
])
def test_a_persons_own_future_asked_in_other_words_is_refused_warmly(dispatcher, domain, text):
    ask(dispatcher, domain, text, "share_diagnosis")
    assert "refusal:prognose" in tags(dispatcher), tags(dispatcher)


def test_complaints_linked_to_some_kind_of_metastasis_get_an_orientation(dispatcher, domain):
    ask(dispatcher, domain, "Mijn oom is erg moe, valt af en heeft pijn rechts onder zijn ribben. "
                            "Met wat voor uitzaaiingen worden zulke klachten in verband gebracht?")
    assert any(t.startswith("orientation:") for t in tags(dispatcher)), tags(dispatcher)


def test_a_statement_typed_without_ik_is_no_second_question(dispatcher, domain):
    """"heb ze zelf in mn dijbeen" tells; the question before it decides."""
    ask(dispatcher, domain, "kan je bot breken door uitzaaiingen? heb ze zelf in mn dijbeen")
    assert "fact:bot_symptoms_fracture" in tags(dispatcher), tags(dispatcher)


def test_have_i_metastases_asked_mid_sentence_is_a_question_but_not_after_nu(dispatcher, domain):
    ask(dispatcher, domain, "al weken een bult in mijn lies heb ik uitzaaiingen", "describe_symptoms")
    assert "refusal:diagnose" in tags(dispatcher), tags(dispatcher)
    ask(dispatcher, domain, "mijn zus is eraan gestorven en nu heb ik zelf uitzaaiingen in "
                            "mijn lever gekregen", "share_diagnosis")
    assert "known:lever" in tags(dispatcher), tags(dispatcher)


# --- batch 13's dev part, fixed in general (own wording) -----------------------------------

@pytest.mark.parametrize("text,intent,expected", [
    # thanks with a greeting's intent, or after a story with nothing of the text in it
    ("merci hoor, ik ga morgen langs bij de dokter", "greet", "utter:utter_you_are_welcome"),
    # a greeting that announces questions to come is a greeting
    ("Goedemorgen. Ik heb enkele vragen over mijn schoonvader.", "nlu_fallback",
     "utter:utter_greet"),
    ("mijn buurvrouw rijdt me morgen naar het ziekenhuis. dank u", "share_diagnosis",
     "utter:utter_you_are_welcome"),
    # "n bot" beside "mens" is this bot, not a bone
    ("ben jij nou een mens of n bot", "bot_challenge", "utter:utter_iamabot"),
    ("wat kunt u zoal voor me doen", "ask_personal_treatment", "utter:utter_help"),
])
def test_small_talk_said_around_other_words(dispatcher, domain, text, intent, expected):
    ask(dispatcher, domain, text, intent)
    # (plain thanks: "graag gedaan", then whether there is more)
    assert [f"utter:{m['response']}" for m in dispatcher.messages if m.get("response")
            and m["response"] != "utter_anything_else"] == [expected], dispatcher.messages


@pytest.mark.parametrize("text,expected", [
    # "heeft hij nu uitzaaiingen": a diagnosis asked, with a word between
    ("Mijn vader is erg moe en eet slecht. Hij heeft darmkanker gehad. Heeft hij nu "
     "uitzaaiingen in zijn lever?", "refusal:diagnose"),
    # a short phrase put first, then the verb, tells: "sindsdien is het stil" asks nothing
    ("Drie jaar terug zijn er uitzaaiingen in mijn liesklieren gevonden. Ik ben toen bestraald "
     "en sindsdien is het stil.", "known:lymfeklieren"),
    # remedies the text does not name
    ("Mijn broer neemt naast de bestraling ook cbd-olie tegen de uitzaaiingen in zijn nek. "
     "Heeft dat zin?", "not_covered:alternatief"),
    # a condition ends at "dan": what follows it is asked
    ("klopt het dat als ze de lever opereren dat dan de meeste mensen nog jaren leven",
     "content:lever/levensverwachting"),
    # "klopt dat?" leans on the claim two sentences back
    ("Op een forum stond dat de helft het jaar niet haalt. Mijn vader heeft het in zijn lever. "
     "Klopt dat?", "content:lever/levensverwachting"),
    # "dat" is the treatment of the sentence before
    ("De arts wil met immunotherapie beginnen. Wat doet dat bij lymfeklieruitzaaiingen?",
     "content:lymfeklieren/behandeling"),
    # complaints, then "waar zou dat van kunnen komen": an orientation
    ("Mijn man is erg moe en valt af. Twee jaar terug had hij darmkanker. Waar zou dat van "
     "kunnen komen?", "orientation"),
    # the same cancer, found through its metastases, a place the text does not cover
    ("is het een aparte leverkanker of hoort het bij de darmkanker van vroeger?",
     "content:algemeen/zelfde_kanker"),
    ("ze vonden wel de uitzaaiing in haar hals maar niet de tumor zelf, hoe kan dat?",
     "content:algemeen/ontdekking_prognose"),
    ("hij heeft uitzaaiingen in zijn lever en in zijn hersenen. wat doen ze aan die in zijn "
     "hoofd?", "not_covered:hersenen"),
    # what can still be done, what they will do with it, cutting it out: the treatment
    ("Ze zeggen dat het in haar botten zit. Valt daar nog iets aan te doen?",
     "content:bot/behandeling"),
    ("Wat gaan ze nu met die uitzaaiingen in zijn lever doen?", "content:lever/behandeling"),
    ("Mijn zus heeft leveruitzaaiingen. Kunnen ze die niet gewoon uitsnijden?",
     "content:lever/behandeling"),
    # a lump found by oneself, then "kan dat iets ernstigs zijn": an orientation, no news told
    ("Ik heb gisteren een bobbel gevonden in mijn hals. Kan dat iets ernstigs zijn?",
     "orientation:lymfeklieren"),
    ("Met welke plek in het lichaam brengt u pijn in de ribben en een dik gewricht in verband?",
     "orientation:bot"),
    # how it gets there; what it is used for; papers for the bank
    ("Hoe komt zoiets eigenlijk in de lever terecht?", "content:lever/oorzaak"),
    ("Wordt immunotherapie vaak gebruikt voor uitzaaiingen in de klieren?",
     "content:lymfeklieren/behandeling"),
    # one's own chances, however put
    ("Het zit bij mij in vier klieren. Zijn mijn kansen dan kleiner?", "refusal:prognose"),
])
def test_more_ways_people_ask(dispatcher, domain, text, expected):
    ask(dispatcher, domain, text)
    assert has_tag(tags(dispatcher), expected), tags(dispatcher)


def test_a_diagnosis_is_refused_but_told_metastases_are_not(dispatcher, domain):
    ask(dispatcher, domain, "Sinds vorig jaar heb ik al uitzaaiingen in mijn botten, hoe worden "
                            "die behandeld?")
    assert "content:bot/behandeling" in tags(dispatcher)


def test_an_urgent_sign_with_thoughts_of_suicide_heard_beside_it_gets_both_advices():
    """The lexicon's urgent sign and the classifier's thoughts of suicide: the urgent advice,
    the line of 113 and 1813, and nothing but the closing line (no orientation)."""
    from actions import replies

    c = content()
    messages = replies.alarm_reply(c, "spoed", ["vermoeidheid"], ["zelfdoding"])
    assert [t for m in messages for t in m.get("tags") or []] == [
        "alarm:spoed", "alarm:zelfdoding", "alarm_closing"]
    assert "1733" in messages[0]["text"]
    assert "0800-0113" in messages[1]["text"] and "1813" in messages[1]["text"]


def test_help_already_on_its_way_gets_its_own_advice_not_call_112_now():
    """"112 is gebeld": stay with the person and follow the operator; with another sign of
    the level beside it, the level's own advice (call 112 now)."""
    from actions import replies

    c = content()
    on_its_way = replies.alarm_reply(c, "levensbedreigend", [], (), ["hulp_onderweg"])
    assert "meldkamer" in on_its_way[0]["text"] and "112" in on_its_way[0]["text"]
    assert [t for m in on_its_way for t in m.get("tags") or []] == [
        "alarm:levensbedreigend", "alarm_closing"]
    both = replies.alarm_reply(c, "levensbedreigend", [], (), ["hulp_onderweg", "bewusteloos"])
    assert both[0]["text"] == c.alarm_levels["levensbedreigend"].advice


@pytest.mark.parametrize("text,intent,expected,absent", [
    # a share of everyone is the outlook section, even with the classifier's prognosis intent
    ("en hoeveel patiënten leven na zo'n ingreep nog een paar jaar, bedoel ik",
     "ask_personal_prognosis", "content:algemeen/levensverwachting", "refusal:prognose"),
    # ... but a chance asked for oneself is refused
    ("welke kans geeft u mij nog", "ask_personal_prognosis", "refusal:prognose", None),
    # how fast it spreads is no question about treating early
    ("hoe komt het dat het zo rap naar de klieren in de hals gaat", "ask_topic",
     "content:lymfeklieren/oorzaak", "fact:lymf_prog_treat_early"),
])
def test_a_share_of_everyone_and_a_speed(dispatcher, domain, text, intent, expected, absent):
    ask(dispatcher, domain, text, intent)
    assert has_tag(tags(dispatcher), expected), tags(dispatcher)
    assert absent not in tags(dispatcher)


def test_an_outlook_asked_when_operating_cannot_and_whether_someone_qualifies(domain):
    assert "fact:lever_prog_not_operable" in conversation(domain, [
        "hoeveel mensen leven nog na een leveroperatie?", "en als opereren niet mogelijk is?"])
    assert "refusal:behandelkeuze" in conversation(domain, [
        "Mijn moeder heeft leveruitzaaiingen. Hoe werkt wegbranden?",
        "Zou zij daarvoor in aanmerking komen?"])


def test_the_answer_after_an_upset_message_starts_with_a_short_warm_word(domain):
    upset_first = conversation(domain, [
        "Ik ben er kapot van, bij mijn man zit het nu in zijn lever. Hoe wordt dat behandeld?",
        "en hoeveel mensen leven daar nog mee na vijf jaar?"])
    assert upset_first[0] == "empathy" and "content:lever/levensverwachting" in upset_first
    calm_first = conversation(domain, [
        "Hoe worden uitzaaiingen in de lever behandeld?",
        "en hoeveel mensen leven daar nog mee na vijf jaar?"])
    assert "empathy" not in calm_first
    # later answers of the conversation too, and thanks get a word for how much it is
    for last in ("en welke klachten geeft het?", "bedankt"):
        later = conversation(domain, [
            "Ik ben er kapot van, bij mijn man zit het nu in zijn lever. Hoe wordt dat behandeld?",
            "en hoeveel mensen leven daar nog mee na vijf jaar?", last])
        assert later[0] == "empathy", later


def test_later_warm_words_are_other_words_each_turn():
    from rasa_sdk import Tracker

    from actions.actions import follow_up_word
    from actions.content import content

    c = content()

    def word(upset, turns):
        events = [{"event": "user", "text": "x"}] * turns
        return follow_up_word(c, Tracker("t", {"upset": upset, "upset_earlier": True}, {}, events,
                                         False, None, {}, "action_listen"))

    assert word(True, 1) == c.frame["empathy_follow_up"]
    later = [word(False, n) for n in range(2, 2 + len(c.empathy_later))]
    assert sorted(later) == sorted(c.empathy_later)
    assert c.frame["empathy_follow_up"] not in later


def test_a_treatment_asked_with_not_is_asked_about(domain):
    # "kunnen ze niet ...?" asks whether they can; a condition with "niet" asks the outlook
    assert "fact:lever_treat_ablation" in conversation(domain, [
        "wat betekent het voor de levensverwachting als ze bij leveruitzaaiingen niet kunnen "
        "opereren?", "en kan men het dan ook niet wegbranden?"])
    reply = conversation(domain, ["hoe worden uitzaaiingen in de lever behandeld?",
                                  "als ze het niet kunnen wegbranden, hoe lang dan?"])
    assert any(t.endswith("lever/levensverwachting") for t in reply), reply


def test_someone_who_cannot_stop_crying_is_upset(dispatcher, domain):
    ask(dispatcher, domain, "ik kan maar niet stoppen met huilen. uitzaaiingen in de lever, "
                            "hoe worden die behandeld")
    assert tags(dispatcher)[0] == "empathy"


def test_where_it_comes_from_without_complaints_asks_the_cause(dispatcher, domain):
    ask(dispatcher, domain, "zaait kanker uit omdat hij de eerste keer niet helemaal weg was? "
                            "ik wil weten waar het van komt")
    assert "content:algemeen/oorzaak" in tags(dispatcher), tags(dispatcher)


def test_what_a_treatment_is_for_sets_the_scene(domain):
    reply = conversation(domain, ["mijn moeder heeft uitzaaiingen in haar bekken",
                                  "is daar iets aan te doen zodat ze minder pijn heeft"])
    assert "content:bot/behandeling" in reply or any(t.startswith("fact:bot_treat")
                                                      for t in reply), reply


def test_whether_a_metastasis_in_an_organ_outside_the_text_is_another_cancer(dispatcher, domain):
    # the general fact holds for every organ; the organ itself stays outside the text
    ask(dispatcher, domain, "Mijn vader had darmkanker en nu zien ze plekjes in zijn hersenen. "
                            "Is dat dan hersenkanker of nog steeds die darmkanker?",
        intent="ask_same_cancer")
    assert "content:algemeen/zelfde_kanker" in tags(dispatcher), tags(dispatcher)
    ask(dispatcher, domain, "hoe worden uitzaaiingen in de hersenen behandeld?")
    assert has_tag(tags(dispatcher), "not_covered"), tags(dispatcher)


def test_thanks_that_mention_the_bot_are_thanks(dispatcher, domain):
    ask(dispatcher, domain, "Dank je wel, ook al ben je maar een programma", intent="bot_challenge")
    assert "utter:utter_you_are_welcome" in [m.get("response") and "utter:" + m["response"]
                                              for m in dispatcher.messages], dispatcher.messages


def test_a_question_whether_a_lump_now_is_a_metastasis_is_refused(dispatcher, domain):
    ask(dispatcher, domain, "ik voel een bobbel in mijn lies, is dat dan een uitzaaiing",
        intent="describe_symptoms")
    assert "refusal:diagnose" in tags(dispatcher), tags(dispatcher)


def test_a_diagnosis_told_before_another_question_is_no_question_for_a_diagnosis(dispatcher,
                                                                                  domain):
    ask(dispatcher, domain, "bij mijn tante kwam uit dat ze kanker heeft maar ze vonden eerst "
                            "de uitzaaiingen in haar lever hoe kan het dat ze dat eerst vinden",
        intent="ask_discovery_prognosis")
    assert "content:algemeen/ontdekking_prognose" in tags(dispatcher), tags(dispatcher)


def test_not_understanding_how_it_came_asks_the_cause(domain):
    reply = conversation(domain, ["Mijn zus heeft uitzaaiingen in haar lever.",
                                  "ik begrijp echt niet hoe dat zo gekomen is"],
                         intent="describe_symptoms")
    assert "content:lever/oorzaak" in reply, reply


def test_a_fact_of_the_question_outweighs_the_complaint_told_before(dispatcher, domain):
    ask(dispatcher, domain, "Mijn man heeft pijn in zijn rug en ze zien iets in de wervels. "
                            "Klopt het dat borstkanker en prostaatkanker vaak naar de botten gaan?")
    assert any(t.startswith("fact:bot_cause") for t in tags(dispatcher)), tags(dispatcher)


def test_a_fact_asked_by_its_own_words_in_a_follow_up(domain):
    reply = conversation(domain, ["Hij is erg moe en misselijk door de uitzaaiingen in zijn lever.",
                                  "en wat is het verschil tussen curatief en palliatief?"])
    assert "fact:lever_treat_curative_palliative" in reply, reply


def test_getting_the_pain_away_asks_the_treatment(domain):
    reply = conversation(domain, ["Mijn moeder heeft uitzaaiingen in haar heup.",
                                  "krijgen ze die pijn ooit weg of niet"])
    assert "content:bot/behandeling" in reply or any(t.startswith("fact:bot_treat")
                                                      for t in reply), reply


def test_what_a_treatment_is_for_is_no_question_about_the_future(domain):
    reply = conversation(domain, ["Mijn man heeft uitzaaiingen in zijn lever.",
                                  "ze gaan het wegbranden, is dat om hem beter te maken of om "
                                  "tijd te rekken?"])
    assert not any(t.startswith("refusal") for t in reply), reply
    assert any(t.startswith("fact:lever_treat") for t in reply), reply


def test_which_cancer_the_metastases_of_a_site_come_from(domain):
    reply = conversation(domain, ["mijn buurman heeft een uitzaaiing in een klier in zijn nek",
                                  "uit welke kanker komt zoiets meestal?"])
    assert "fact:lymf_symptoms_head_neck_first_sign" in reply, reply


@pytest.mark.parametrize("text,fact,intent", [
    # the first cancer told, then how often it goes to a site
    ("Mijn zus had vroeger schildklierkanker. Hoe dikwijls zaait dat uit naar het skelet?",
     "bot_cause_60_thyroid", "ask_topic"),
    # a question of how often that names another kind of cancer, at a site asked about
    ("Bij mijn vader begon het in de alvleesklier. Gaan andere kankers ook zo vaak naar de "
     "lever?", "lever_cause_other_organs", "ask_topic"),
    # through the blood, to the liver
    ("mijn buurvrouw zegt dat kanker met het bloed mee naar de lever reist, klopt dat",
     "lever_cause_blood_vessels", "ask_topic"),
    # a swelling as the first thing one notices of a cancer
    ("Is een bobbel in de hals vaak het eerste teken dat iemand kanker heeft?",
     "lymf_symptoms_head_neck_first_sign", "ask_topic"),
    # treated although nothing was found yet
    ("In de klieren van haar hals zien ze nog niks, toch willen ze die bestralen. Waarom is dat?",
     "lymf_treat_preventive", "ask_topic"),
    # known metastases told, then how often, without a question mark
    ("ik heb uitzaaiingen in mijn halsklieren en ze gaan me bestralen hoe dikwijls moet ik "
     "daarvoor naar het ziekenhuis", "lymf_treat_radiation_28_35", "ask_topic"),
    # what it means for the outlook that they cannot operate, without a question mark
    ("de chirurg zegt dat ze de plekken in zijn lever niet kunnen wegopereren wat betekent dat "
     "dan voor de levensverwachting bij zoiets", "lever_prog_not_operable", "ask_topic"),
    # a first cancer told with a treatment word, then how often it reaches a site
    ("Mijn moeder is geopereerd aan schildklierkanker. Hoe vaak komt dat later in het skelet?",
     "bot_cause_60_thyroid", "ask_personal_diagnosis"),
    # a hormone treatment asked about is no question for a diagnosis
    ("Die hormoonpillen die ze slikt, helpen die ook tegen de plekken in haar botten?",
     "bot_treat_hormonal", "ask_personal_diagnosis"),
])
def test_facts_asked_in_the_words_people_use(dispatcher, domain, text, fact, intent):
    ask(dispatcher, domain, text, intent)
    assert f"fact:{fact}" in tags(dispatcher), (tags(dispatcher), said(dispatcher))


def test_through_the_blood_asks_how_metastases_spread(dispatcher, domain):
    ask(dispatcher, domain, "gaat zo'n uitzaaiing nou door de aderen of hoe werkt dat",
        intent="ask_spread")
    assert any(t.startswith("content:algemeen/verspreiding") or t == "fact:g_via_lymph_blood"
               for t in tags(dispatcher)), tags(dispatcher)


def test_a_follow_up_of_two_cues_is_not_held_to_the_conversations_topic(domain):
    reply = conversation(domain, ["Mijn moeder heeft uitzaaiingen in haar halsklieren.",
                                  "hoe lang heeft iemand daar gemiddeld mee?",
                                  "als ze haar bestralen, hoeveel keer moet ze dan gaan?"])
    assert "fact:lymf_treat_radiation_28_35" in reply, reply


def test_the_outlook_asked_with_the_prognosis_intent_beside_a_treatment(dispatcher, domain):
    ask(dispatcher, domain, "en hoeveel van de mensen die geopereerd worden zijn er tien jaar "
                            "later nog?", intent="ask_personal_prognosis", site="lever",
        topic="behandeling")
    reply = tags(dispatcher)
    assert "content:lever/levensverwachting" in reply or any(
        t.startswith("fact:lever_prog") for t in reply), reply


def test_nothing_more_to_be_done_asks_the_treatment(domain):
    reply = conversation(domain, ["Mijn vrouw heeft uitzaaiingen in haar botten.",
                                  "kunnen ze er niks meer aan doen voor haar"])
    assert "content:bot/behandeling" in reply or any(
        t.startswith("fact:bot_treat") for t in reply), reply


def test_a_first_cancer_told_and_whether_it_matters_is_no_question_for_a_diagnosis(domain):
    reply = conversation(domain, ["Mijn broer heeft uitzaaiingen in de klieren van zijn hals.",
                                  "hij rookte vroeger en had tongkanker, heeft dat er iets mee te "
                                  "maken?"])
    assert not any(t.startswith("refusal") for t in reply), reply


@pytest.mark.parametrize("text", [
    "mijn zus hoorde het woord metastase van de oncoloog, wat verstaan ze daaronder",
    "wat betekent het woord metastasen eigenlijk",
])
def test_what_the_word_means_asks_the_definition(dispatcher, domain, text):
    ask(dispatcher, domain, text, intent="ask_definition")
    assert "content:algemeen/definitie" in tags(dispatcher), tags(dispatcher)


def test_a_vaccination_is_outside_the_text(dispatcher, domain):
    ask(dispatcher, domain, "mag mijn vader met zijn uitzaaiingen nog een coronaprik krijgen?",
        intent="ask_personal_prognosis")
    assert "not_covered:vaccinatie" in tags(dispatcher), tags(dispatcher)


def test_what_is_best_for_him_is_a_treatment_choice(dispatcher, domain):
    ask(dispatcher, domain, "Chemo of een operatie voor haar lever, wat is voor haar het beste?")
    assert "refusal:behandelkeuze" in tags(dispatcher), tags(dispatcher)


def test_is_it_surely_a_metastasis_asks_a_diagnosis(dispatcher, domain):
    ask(dispatcher, domain, "Er zit een knobbeltje in mijn oksel, is dat nu zeker een uitzaaiing?")
    assert "refusal:diagnose" in tags(dispatcher), tags(dispatcher)


@pytest.mark.parametrize("text,intent,slots,expected", [
    # the asking sentence's question word says the topic, not the operation the story tells
    ("Kan een bloedtest van tevoren zeggen of kanker gaat uitzaaien? Mijn man is vorige week "
     "geopereerd en we willen weten of zoiets bestaat.", "ask_topic", {}, "content:algemeen/oorzaak"),
    ("zit dat in de familie, uitzaaiingen in de lever? mijn tante had het ook", "share_diagnosis",
     {}, "content:lever/oorzaak"),
    ("Op welke plekken in het lijf ontstaat kanker vaker dan elders?", "ask_common_locations", {},
     "content:algemeen/voorkeursplaatsen"),
    # "nu wil ik graag weten of ..." and Flemish "wa doen ze" ask
    ("de dokter heeft gezegd dat de kanker naar de lever is gegaan nu wil ik graag weten of het "
     "een nieuwe kanker is", "ask_same_cancer", {}, "content:algemeen/zelfde_kanker"),
    ("ons pa heeft botmeta in zijn rug wa doen ze daaraan", "share_diagnosis", {},
     "content:bot/behandeling"),
    ("dus borstkanker in het bot is geen botkanker", "ask_same_cancer", {},
     "content:algemeen/zelfde_kanker"),
    ("komt dat vaak voor, dat het naar de lever gaat zitten?", "inform", {"site": "lever"},
     "content:lever/oorzaak"),
    # asking the bot to say whether it is there asks for a diagnosis
    ("Denkt u dat het in zijn lever zit?", "inform", {"site": "lever", "topic": "symptomen"},
     "refusal:diagnose"),
    # complaints told, then whether they have to do with metastases: an orientation
    ("een bult onder mijn arm, zo groot als een erwt. Wat kan dat zijn?", "describe_symptoms", {},
     "orientation:lymfeklieren"),
    ("haar buik is rechtsboven bol en gespannen, waar kan dat op wijzen", "describe_symptoms", {},
     "orientation:lever"),
    ("Ik heb al weken pijn in mijn heup. Kan die pijn met uitzaaiingen te maken hebben?",
     "ask_topic", {}, "orientation:bot"),
    # where it usually comes from asks the first cancer; why it cannot be taken away, the outlook
    ("waar komen die knobbels in de nek meestal vandaan?", "ask_topic", {},
     "fact:lymf_symptoms_head_neck_first_sign"),
    ("Waarom kunnen ze zo'n uitzaaiing in de wervel soms niet weghalen?", "ask_topic", {},
     "fact:bot_prog_curative_not_always"),
    # "wat houdt dat in", "ik wil eerst weten wat ...", "of blijft het ...?" ask
    ("de arts had het over wegbranden van de plekken op haar lever wat houdt dat eigenlijk in",
     "share_diagnosis", {}, "fact:lever_treat_ablation"),
    ("ik wil eerst weten wat ze aan die okselklieren kunnen doen", "inform", {},
     "content:lymfeklieren/behandeling"),
    ("krijg ik er nu botkanker bij? Of blijft het borstkanker?", "ask_same_cancer", {},
     "content:algemeen/zelfde_kanker"),
    # other treatments than the one named: the treatments in general
    ("Krijg je altijd chemo bij uitzaaiingen of zijn er andere mogelijkheden?", "ask_topic", {},
     "content:algemeen/behandeling"),
    # a question of a few words after another only spells it out
    ("Hoe lang heeft mijn moeder nog? Weken? Maanden?", "ask_topic", {}, "refusal:prognose"),
    # "alleen" in a short question means "only"; the word "pijn" asks no other topic
    ("Wat doen pijnstillers? Halen die alleen de pijn weg?", "ask_topic", {},
     "treatment:pijnstillers"),
    # phone spelling of the question word
    ("wrm gaat het zo vaak naar de botten", "ask_common_locations", {}, "content:bot/oorzaak"),
    # "tegen" of "zei ... tegen mij" asks no treatment
    ("wat betekent metastase, zei de huisarts tegen mij", "ask_definition", {},
     "content:algemeen/definitie"),
    ("wat bepaalt hoe het afloopt bij botuitzaaiingen", "ask_topic", {},
     "content:bot/levensverwachting"),
    ("mijn man vraagt of hij de kerst nog haalt", "ask_personal_prognosis", {},
     "refusal:prognose"),
    ("is bestralen bij haar een optie", "ask_topic", {}, "refusal:behandelkeuze"),
    ("moet ik bang zijn dat het bij hem al is uitgezaaid?", "ask_personal_diagnosis", {},
     "refusal:diagnose"),
    ("mijn vrouw heeft een verdikking onder haar oksel, waar kan dat bij passen?",
     "describe_symptoms", {}, "orientation:lymfeklieren"),
    ("mijn vader heeft al weken pijn rond zijn sleutelbeen, waar kan dat van komen",
     "describe_symptoms", {}, "orientation:bot"),
    ("Het zit in mijn heup. Ik wil gewoon weten of ze er iets aan kunnen doen.",
     "share_diagnosis", {}, "content:bot/behandeling"),
    ("hoe belangrijk is het om er vroeg bij te zijn bij klieruitzaaiingen", "ask_topic", {},
     "fact:lymf_prog_treat_early"),
    ("krijg je de chemo met een naald in je arm bij klieruitzaaiingen", "ask_topic", {},
     "fact:lymf_treat_chemo_infusion"),
    ("is het waar dat een grote tumor sneller uitzaait", "ask_topic", {},
     "content:algemeen/oorzaak"),
    # a yes/no question puts its verb first, even without a question mark
    ("verspreidt kanker zich via het bloed", "thank", {}, "content:algemeen/verspreiding"),
    ("hoe iemand uitzaaiingen krijgt, weet men dat", "ask_topic", {},
     "content:algemeen/oorzaak"),
    ("kan zo'n dikke klier in de hals ook onschuldig zijn", "ask_topic", {},
     "fact:lymf_symptoms_not_every_swelling"),
    # "denk je ..." first asks, "denk dat ..." (ik left out) tells
    ("denk je dat het bij hem al uitgezaaid is", "inform", {}, "refusal:diagnose"),
    ("heb ik nu ook uitzaaiingen in mijn lever, denk jij", "ask_personal_diagnosis", {},
     "refusal:diagnose"),
    ("kan mijn moeder nog geopereerd worden aan haar lever", "ask_topic", {},
     "refusal:behandelkeuze"),
    ("mijn zus is 70, borstkanker gehad en nu ook uitzaaiingen in de botten.", "inform", {},
     "known:bot"),
    ("mijn man heeft een knobbel in zijn lies, waar kan zo'n knobbel van komen",
     "describe_symptoms", {}, "orientation:lymfeklieren"),
    # "mee te maken" is no "nog meemaken"
    ("mijn vader heeft pijn in zijn rug, waar kan dat nog meer mee te maken hebben?",
     "ask_topic", {}, "orientation:bot"),    # complaints asked about the site told as known: that site's complaints; complaints asked
    # about a site not told as known: an orientation
    ("Mijn man heeft uitgezaaide prostaatkanker, het zit in zijn botten. Hij is zo moe. "
     "Kan dat van die botten komen?", "ask_topic", {}, "content:bot/symptomen"),
    ("Mijn man heeft uitgezaaide prostaatkanker. Hij heeft pijn in zijn rug. Kan dat iets met "
     "zijn botten te maken hebben?", "ask_topic", {}, "orientation:bot"),
    # figures asked about are the outlook's
    ("Iemand zei 60 procent bij leveruitzaaiingen. Waar gaat dat getal over?", "ask_topic", {},
     "content:lever/levensverwachting"),
    # the "mogelijk" of "zo snel mogelijk" asks no eligibility
    ("waarom moeten ze klieruitzaaiingen zo snel mogelijk behandelen?", "ask_topic", {},
     "fact:lymf_prog_treat_early"),
    # the organ where the cancer began is no subject the text does not cover
    ("mijn zus heeft uitzaaiingen in haar botten, het is begonnen in haar long", "share_diagnosis",
     {}, "known:bot"),
    # a complaint said with many words between the pain and the place, in one clause
    ("mijn broer heeft pijn op een plek onder in zijn rug die niet weggaat, waar kan dat van "
     "komen", "describe_symptoms", {}, "orientation:bot"),
    # a treatment in the history is no question about treatment
    ("Ik heb al een tijd een doffe pijn in mijn heup. Ik ben twee jaar terug behandeld voor "
     "borstkanker. Wat zou dat kunnen zijn?", "describe_symptoms", {}, "orientation:bot"),
    # a diet inside a described complaint is part of it, no question about diets
    ("mijn oom valt af zonder dat hij op dieet is, waar kan dat op wijzen", "describe_symptoms",
     {}, "orientation:lever"),
    # complaints the text does not name, told without a subject
    ("sinds vorige week duizelig en hoofdpijn, waar kan dat van komen", "describe_symptoms", {},
     "orientation:none"),
    # "ik wou u vragen of ..." asks
    ("ik ben zo moe de laatste tijd ik wou u vragen of ik nu uitzaaiingen heb", "inform", {},
     "refusal:diagnose"),
    ("zit dat nu op mijn lever denk je, ik ben al weken misselijk", "describe_symptoms", {},
     "refusal:diagnose"),
    ("Het ziekenhuis stelt een operatie voor aan haar lever. Ze twijfelt. Moet ze het doen?",
     "ask_personal_treatment", {}, "refusal:behandelkeuze"),
    ("ze willen mijn opa nog bestralen, mijn tante zegt ja en mijn moeder zegt nee, wie heeft "
     "gelijk", "inform", {}, "refusal:behandelkeuze"),
    ("Mijn vrouw heeft botuitzaaiingen. Hoeveel jaar geven ze haar nog?", "ask_topic", {},
     "refusal:prognose"),
    ("ik vergat gisteren mijn pijnstiller, mag ik vandaag de dubbele dosis nemen",
     "ask_personal_treatment", {}, "refusal:dosering"),
    # only the place the text does not cover is asked about
    ("mijn tante heeft uitzaaiingen in haar botten en nu ook in haar hersenen, wat doen ze aan "
     "die hersenen", "share_diagnosis", {}, "not_covered:hersenen"),
    ("ik heb diabetes, moet ik nu anders gaan eten", "ask_topic", {}, "not_covered:diabetes"),
    # complaints asked about the site told as known, with time words between
    ("Mijn vader heeft sinds de zomer botmetastasen. Hij heeft nu pijn in zijn heup. Horen zulke "
     "klachten daarbij?", "describe_symptoms", {}, "content:bot/symptomen"),
    # a verb of the first person without its subject, typed on a phone
    ("knobbeltje op mn onderarm, heb vroeger kanker gehad, wat kan het zijn", "describe_symptoms",
     {}, "orientation:bot"),
    ("ons pa klaagt al een tijd over pijn aan zijne heup, wa kan da wezen", "describe_symptoms",
     {}, "orientation:bot"),
    ("mijn oma haar knie is al weken zo dik en opgezet, waar kan dat op wijzen",
     "describe_symptoms", {}, "orientation:bot"),
    # the place of a melanoma is the skin there
    ("ik heb uitzaaiingen in de lymfeklieren in mijn lies, van een melanoom op mijn been",
     "share_diagnosis", {}, "known:lymfeklieren"),
    ("ze hebben gezegd dat de kanker in mijn botten zit", "share_diagnosis", {}, "known:bot"),
    ("ik krijg chemo en nu valt mijn haar uit, komt dat terug", "ask_topic", {},
     "not_covered:bijwerkingen"),
    ("Hij wil zo graag de geboorte van zijn kleinkind meemaken in april. Haalt hij dat nog?",
     "ask_personal_prognosis", {}, "refusal:prognose"),
    ("Ik ben vorige week geopereerd aan mijn darm. Betekent dit dat het terug is?", "inform", {},
     "refusal:diagnose"),
    # removal not possible for everyone is the bones' outlook
    ("Waarom kunnen ze zo'n uitzaaiing in de wervel bij de een wel en bij de ander niet "
     "weghalen?", "ask_topic", {}, "fact:bot_prog_curative_not_always"),
    # a share of people still alive after an operation asks the outlook
    ("Als ze de uitzaaiingen in zijn lever wegopereren, hoeveel mensen leven er dan na vijf "
     "jaar nog?", "ask_topic", {}, "content:lever/levensverwachting"),
    # whether a test can foretell spreading is said of every cancer
    ("Mijn moeder heeft uitzaaiingen in haar botten. Kan een DNA-onderzoek voorspellen of het "
     "nog verder uitzaait?", "ask_topic", {}, "content:algemeen/oorzaak"),
    # an operation in the history is no question about treatment
    ("Mijn tante is twee jaar terug geopereerd aan maagkanker. Kan dat ook naar de lever gaan?",
     "ask_topic", {}, "fact:lever_cause_other_organs"),
    # a complaint asked about in general, in a conversation about a site, typed on a phone
    ("kn je er ook stijf van worden", "describe_symptoms", {"site": "bot", "topic": "symptomen"},
     "section:bot/symptomen"),
    ("Mijn zus zegt dat het alleen een uitzaaiing is en geen echte kanker. Is dat zo?",
     "ask_personal_diagnosis", {}, "content:algemeen/zelfde_kanker"),
    # a yes-or-no question typed on a phone, with "t" for "het"; "ben ik uitgezaaid"
    ("rugpijn al een maand, vroeger darmk gehad, is t uitgezaaid naar mn botten ja of nee",
     "share_diagnosis", {}, "refusal:diagnose"),
    ("op de ct staat een 'afwijking' bij mijn ribben, ben ik dan uitgezaaid", "share_diagnosis",
     {}, "refusal:diagnose"),
    ("Mijn leverwaarden waren slecht en ik heb borstkanker gehad. Betekent dit dat het naar de "
     "lever is uitgezaaid?", "share_diagnosis", {}, "refusal:diagnose"),
    # where one stands in a figure, whether one can still do something: one's own future
    ("Ik las dat de helft na vijf jaar nog leeft. Hoor ik bij die helft, denkt u?", "ask_topic",
     {"site": "lever"}, "refusal:prognose"),
    ("Mijn man heeft uitzaaiingen in zijn bekken en wil met Pasen nog naar zijn broer in Italie."
     " Gaat hij dat nog kunnen?", "ask_topic", {}, "refusal:prognose"),
    # what is best for someone, whether to go on with a treatment: their choice
    ("Ze kan kiezen tussen bestraling en tabletten. Wat is voor haar het beste?", "ask_topic",
     {"site": "bot"}, "refusal:behandelkeuze"),
    ("Hij krijgt een vierde chemo aangeboden voor zijn levermetastasen. Moet hij die chemo nog "
     "wel doen?", "ask_topic", {}, "refusal:behandelkeuze"),
    # "dag per dag" is no dose; "... nemen en hoeveel" is
    ("Mijn vrouw heeft uitzaaiingen in haar botten. We leven nu dag per dag.", "share_diagnosis",
     {}, "known:bot"),
    ("mag ik bij mijn morfine ook naproxen nemen en hoeveel", "ask_topic", {},
     "refusal:dosering"),
    # the news told with something practical in it, nothing asked
    ("Ze hebben net uitzaaiingen in mijn lever gevonden. Ik sta nog op de parkeerplaats, ik kan "
     "niet rijden zo.", "share_diagnosis", {}, "known:lever"),
    # the place pointed at where it asks, in a message without commas
    ("bij mijn moeder zit het in de lever en nu ook in de longen ik wil weten of ze aan die longen"
     " iets kunnen doen", "ask_topic", {}, "not_covered:longen"),
    ("uitzaaiingen huid klachten", "ask_topic", {}, "not_covered:huid"),
    ("In de brief staat peritonitis carcinomatosa, wat is dat?", "ask_topic", {},
     "not_covered:buikvlies"),
    # metastases told in a search-box style, then "de mogelijkheden": the site's treatment
    ("botuitzaaiingen bij mij, 3 stuks. welke mogelijkheden zijn er", "ask_personal_diagnosis",
     {}, "content:bot/behandeling"),
    # whether it is bad, about a site without complaints: its outlook
    ("is dat erg, zoiets in de lever?", "ask_topic", {"site": "lever", "topic": "symptomen"},
     "content:lever/levensverwachting"),
    ("Mijn oom had botkanker. Is dat hetzelfde als wat ik heb?", "ask_same_cancer",
     {"site": "bot"}, "content:algemeen/zelfde_kanker"),
    # many words between "waar kan" and "op wijzen": what complaints may mean
    ("Mijn schoonmoeder heeft sinds de zomer pijn in haar dijbeen, ze is vroeger behandeld voor"
     " borstkanker. Waar kan zulke pijn in het bot op wijzen?", "ask_topic", {}, "orientation:bot"),
    # a complaint asked about beside the known site
    ("Mijn man heeft uitzaaiingen in zijn lever. Sinds kort heeft hij ook pijn in zijn rug. Kan"
     " dat bij iets anders horen dan die lever?", "ask_topic", {}, "orientation:bot"),
    # "alle klieren weghalen" asks about the treatment, not whether every swelling is one
    ("Ze heeft uitzaaiingen in de klieren van haar hals. Halen ze bij een operatie dan alle "
     "klieren weg?", "ask_topic", {}, "content:lymfeklieren/behandeling"),
    # a treatment of long ago told without punctuation is the history of the complaints
    ("mijn heup doet al weken pijn als ik loop ik ben in 2015 aan mijn darm geopereerd wat kan "
     "dat toch zijn", "describe_symptoms", {}, "orientation:bot"),
    ("mijn vrouw heeft pijn in haar ribben en ze heeft jaren geleden chemo gekregen voor de borst"
     " waar kan dat van komen", "describe_symptoms", {}, "orientation:bot"),
    # the first cancer told beside complaints, typed short, is no subject outside the text
    ("pijn in mn rug al weken, longk gehad in 2019. kan dat ergens mee te maken hebben",
     "describe_symptoms", {}, "orientation:bot"),
    ("een knobbeltje onder de huid van zijn arm, hij had vroeger kanker aan de nier. moet hij "
     "daarmee naar de huisarts?", "describe_symptoms", {}, "orientation:bot"),
    # more ways of asking what complaints may mean
    ("Mijn moeder heeft een bult in haar hals gekregen en vroeger keelkanker gehad. Moeten we "
     "daar iets achter zoeken?", "describe_symptoms", {}, "orientation:lymfeklieren"),
    ("Pijn in zijn bekken, de huisarts zegt slijtage. Kan het ook nog iets anders zijn?",
     "ask_topic", {}, "orientation:bot"),
    # a complaint of another site than the known one: does it belong to it?
    ("Mijn man heeft uitzaaiingen in zijn botten. Nu heeft hij een dikke klier in zijn hals. "
     "Hoort dat daar ook bij?", "share_diagnosis", {}, "orientation:lymfeklieren"),
    # refusals said in other words
    ("Hij heeft zijn morfinepil van vanmiddag vergeten. Mag hij er straks twee nemen om het in "
     "te halen?", "ask_topic", {"site": "bot"}, "refusal:dosering"),
    ("Die plek op mijn rib... ik wil gewoon horen dat het geen uitzaaiing is. Kunt u dat zeggen?",
     "ask_topic", {}, "refusal:diagnose"),
    ("ze willen opereren of bestralen en ik twijfel wat zal ik het beste doen", "ask_topic",
     {"site": "lever"}, "refusal:behandelkeuze"),
    ("Mijn vader wil in mei nog naar zijn geboortedorp. Moeten we nu boeken of is het dan voor "
     "hem te laat?", "ask_topic", {"site": "bot"}, "refusal:prognose"),
    # told by the doctor, without a question
    ("de arts heeft me verteld dat de kanker in mijn lever is gaan zitten, ik moet het nog een "
     "plekje geven", "ask_personal_diagnosis", {}, "known:lever"),
    # whether it is two cancers; what the doctor's word means, asked without punctuation
    ("het is borstkanker maar het zit in mijn botten, heb ik dan twee soorten kanker?",
     "ask_topic", {}, "content:algemeen/zelfde_kanker"),
    ("de specialist zegt palliatief bij de lever van mijn vrouw wat bedoelt hij daar precies mee",
     "share_diagnosis", {}, "fact:lever_treat_curative_palliative"),
    ("mijn moeder heeft uitzaaiingen in de boten en veel pijn wat doen ze daar tegen",
     "ask_topic", {}, "content:bot/behandeling"),
])
def test_what_people_ask_in_their_own_order_and_words(dispatcher, domain, text, intent, slots,
                                                      expected):
    ask(dispatcher, domain, text, intent, **slots)
    assert has_tag(tags(dispatcher), expected), tags(dispatcher)
    if expected.startswith("treatment"):
        assert "empathy" not in tags(dispatcher)

"""The trained NLU pipeline on real messages: safety override, fallback, entities, complaints."""
from __future__ import annotations

import asyncio

import pytest
from rasa.shared.nlu.training_data.message import Message

from tests.servers import MODELS, newest_model

ALARM_INTENTS = {"report_emergency", "report_suicidal_thoughts", "report_urgent_complaint",
                 "ask_urgent_help"}


@pytest.fixture(scope="module")
def parse():
    if not list(MODELS.glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    from rasa.core.agent import Agent

    agent = Agent.load(str(newest_model()))
    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


@pytest.mark.parametrize(
    "text",
    [
        "Welke klachten geven uitzaaiingen in de lever? Ik heb ook pijn op de borst.",
        "wat is de behandeling, ik kan bijna niet ademen",
        "ik heb al dagen koorts tijdens de chemo, is dat erg?",
        "ik zie het niet meer zitten en wil er een einde aan maken",
    ],
)
def test_alarm_signs_override_any_other_intent(parse, text):
    result = parse(text)
    assert result["intent"]["name"] in ALARM_INTENTS
    assert result["intent"]["confidence"] == 1.0
    assert result["alarm"]["by"] == "lexicon"


def test_negated_alarm_does_not_trigger(parse):
    result = parse("ik heb geen pijn op de borst maar wel buikpijn")
    assert result["intent"]["name"] not in ALARM_INTENTS
    assert [c["id"] for c in result["complaints"] if not c["negated"]] == ["buikpijn"]


@pytest.mark.parametrize("text", ["asdf", "qwxz blorp fnargh", "12345", "!!!", "😀😀"])
def test_text_without_any_known_word_falls_back(parse, text):
    assert parse(text)["intent"]["name"] == "nlu_fallback"


def test_entities_carry_canonical_values(parse):
    result = parse("Wat is de prognose bij botmetastasen?")
    values = {(e["entity"], e["value"]) for e in result["entities"]}
    assert values == {("topic", "levensverwachting"), ("site", "bot")}
    assert all(e["extractor"] == "LexiconEntityExtractor" for e in result["entities"])


@pytest.mark.parametrize(
    "text",
    ["Is geelzucht een symptoom van leveruitzaaiingen?", "Kan een botuitzaaiing een breuk geven?"],
)
def test_urgent_signs_named_in_an_information_question_are_no_alarm(parse, text):
    result = parse(text)
    assert result["intent"]["name"] == "ask_topic"
    assert ("topic", "symptomen") in {(e["entity"], e["value"]) for e in result["entities"]} or (
        "site" in {e["entity"] for e in result["entities"]}
    )


@pytest.mark.parametrize(
    "text", ["Sinds gisteren zijn mijn ogen geel", "Mijn bot is gebroken, denk ik",
             "sinds vanmiddag heeft hij geen controle meer over zijn blaas en zijn rug doet zeer"]
)
def test_urgent_signs_reported_as_complaints_are_alarms(parse, text):
    assert parse(text)["intent"]["name"] == "report_urgent_complaint"


@pytest.mark.parametrize("text", [
    "kan leverkanker geelzucht geven",  # no question mark, the subject after the verb
    "hevige pijn in de rug bij botmeta wanneer moet je de huisarts bellen",
    "wordt men kortademig van uitzaaiingen in de lever ik vraag het in het algemeen",
    "het ijs is gebroken tussen mijn zus en mij sinds pa ziek is",
    # what to watch for, a question someone asked, found on a scan, figures of speech
    "de oncoloog zei dat we goed moeten opletten als ze ineens geel wordt, waarom is dat?",
    "de verpleegkundige vroeg of mijn vrouw kortademig is. nee hoor. waarom vragen ze dat?",
    "op de scan zagen ze dat zijn rib gebroken was, hij ligt nu goed verzorgd op zaal",
    "mijn hart bloedt als ik ons pa zo mager zie worden",
    "we lachen ons soms een breuk om de verhalen van opa in het ziekenhuis",
    "sterven wil ik nog lang niet, ik wil weten hoe de bestraling gaat",
    # whether something can happen, a condition, lately
    "mijn zus heeft uitzaaiingen in haar bekken, kan ze daar een breuk van krijgen?",
    "mag ik de morfine zelf ophogen als de pijn erger wordt?",
    "mijn rug doet de laatste tijd zo een pijn, hoort dat bij botuitzaaiingen?",
    # a general subject asks about anyone, even with relatives later in the sentence; the
    # threshold asked for is no reading; what the doctor said to call for
    "klopt het dat iemand met leveruitzaaiingen op het eind erg geel wordt want mijn tante "
    "zegt het en mijn oom is nu nog heel gewoon",
    "boven welke temperatuur bel je de huisarts als je chemo krijgt? ik zit op 37,2",
    "de huisarts zei dat we moeten bellen als zijn benen slap worden, maar hij fietst nog "
    "elke dag",
    # thoughts of suicide long past and said to be over
    "Twee jaar geleden heb ik eraan gedacht om er een eind aan te maken, maar met hulp van "
    "een psycholoog gaat het nu veel beter. Hoe wordt bestraling gegeven?",
    "Mijn oom dacht lang geleden toen aan zelfmoord, maar daar is hij goed uitgekomen. Hoe "
    "worden leveruitzaaiingen behandeld?",
    # a wish to die at home, a figure of speech, a feeling at the sight of a place
    "mijn moeder wil later het liefst thuis sterven, wie moeten we daarvoor bellen?",
    "dat huis verkopen was financiële zelfmoord geweest, maar wat kost bestraling?",
    "ik krijg het benauwd als ik dat ziekenhuis zie, kan ik ergens anders behandeld worden?",
    # what the doctor said to call for, with the threshold asked; a figure after a sign
    # that says a negative itself
    "de oncoloog zei dat ze bij koorts tijdens de kuur direct moet bellen, maar boven "
    "hoeveel graden is dat?",
    "ik kreeg even geen adem meer van schrik bij die uitslag, nu gaat het wel. Wat is RFA?",
    # a supposition
    "stel dat zijn bovenbeen ooit breekt, kan hij dan nog bestraald worden?",
    "mocht ze ineens geel zien, wie moeten we dan bellen?",
    # a "maar dat" that qualifies the sign; a doctor's rule said with a colon; read about
    "ik ben wat kortademig als ik de trap op loop, maar dat heb ik al jaren door mijn astma",
    "de verpleegkundige zei: als hij ineens niet meer kan plassen, direct bellen. Waarom?",
    "ik heb op internet over verlamming gelezen en nu slaap ik slecht, komt dat vaak voor?",
    "het nieuws ging als een mes door mijn hart, wat is de levensverwachting bij botmeta?",
    # out of breath from the stairs, laughing; a crack that turned out to be something else;
    # a relative's suicide long ago
    "even buiten adem van de trap op naar de afdeling hihi. wat is bestraling precies?",
    "er kraakte iets in mijn heup, bleek de stoel te zijn. Geven botmeta's breuken?",
    "mijn tante heeft in de jaren tachtig zelfmoord gepleegd. Is uitzaaien erfelijk?",
    # a sign asked and answered no; a broken thing that is no bone; a hyperbole; how to know
    # whether a sign comes from the metastases; a condition not met
    "Kreeg ze die nacht koorts na de chemo? Nee, gelukkig niet. Hoe lang duurt zo'n kuur?",
    "mijn bril is in de tas gebroken, dus ik lees slecht. Wat is doelgerichte therapie?",
    "er is een ruit van de serre gebroken, wat een dag. Geeft bestraling pijn?",
    "mijn buurman zegt dat roken met botmeta's pure zelfmoord is, klopt dat?",
    "het was bloed, zweet en tranen om een afspraak te krijgen. Wat is immunotherapie?",
    "ik heb al jaren een beetje last van mijn lever. Hoe weet je of gele ogen van uitzaaiingen "
    "komen?",
    "als hij ooit wat geler zou worden, wat zegt dat dan over zijn lever?",
    # a month of an appointment to come is no old event, but a figure over years ago is;
    # thoughts of suicide long ago, said with their own "niet meer", and enjoying life again
    "Mijn moeder zei drie jaar geleden een keer dat het leven voor haar niet meer hoeft. Nu "
    "geniet ze weer van alles. Wat is de levensverwachting bij leveruitzaaiingen?",
    # what one is choking on or pressed by is paperwork; a whole life of something is no news
    "ik stik van de formulieren sinds de diagnose. Wat kost zo'n behandeling?",
    "ik voel een zware druk op mijn borst van al die papieren. Wie helpt me daarmee?",
    "mijn zus is haar hele leven al een beetje geel door een leverziekte. Kan dat ook van "
    "uitzaaiingen komen?",
    # a vital function asked and answered yes
    "ademt ze nog? ja gelukkig, ze slaapt nu. Helpt bestraling tegen botpijn?",
    # "hun" after "mensen" is their own, no one the writer knows
    "is het waar dat mensen met botmeta's hun benen op een dag niet meer voelen",
    # a plea of the past is no plea of now
    "vorig jaar hebben we snel een ambulance moeten bellen, hoe vaak gaat kanker naar de botten",
    # a device, not a person, does not respond
    "de app van de apotheek reageert niet meer, hoe vaak word je bestraald bij de klieren",
    # "sinds de chemo" is no "now": weeks of the same breathlessness when carrying things
    "sinds de chemo ben ik sneller buiten adem als ik de boodschappen naar boven draag, dat is al "
    "weken hetzelfde. Maakt chemo de botten sterker?",
    # a condition to come: "als ze weer zo'n pijn heeft"
    "hoeveel druppels morfine mag mijn man nemen als hij weer zo'n pijn krijgt in zijn rug",
    # a question whether it can happen
    "kan er daardoor iets breken bij hem",
    "kan hij door de uitzaaiingen in zijn wervels later incontinent worden? nu is er niks",
    # the fracture "van toen", a stroke only thought of, thoughts of dying long over
    "ik heb in 2015 mijn enkel gebroken, kan die breuk van toen iets met de botuitzaaiingen te "
    "maken hebben",
    "ze viel bijna en we dachten aan een beroerte, maar de huisarts zag niks: ze praat gewoon",
    "dertig jaar geleden wilde ik er niet meer zijn, dat is al lang voorbij. Wat is palliatief?",
    # an old event, or one in the operating room
    "vorige maand viel mijn moeder flauw bij de kapper, nu weten we dat het uitgezaaid is",
    "bij mijn operatie in maart verloor ik veel bloed op de operatietafel, hoe gaat dat nu",
    # a figure of speech: no air from all the paperwork
    "ik krijg geen lucht meer van al die formulieren, wanneer is de uitslag er",
    # a question for the threshold, with a normal reading
    "wat is hoge koorts eigenlijk, 38 of 39? ik heb 37,1 dus niks aan de hand",
    # a general claim that something can happen
    "op internet staat dat uitzaaiingen ook een hersenbloeding kunnen geven, mijn vader is gewoon zichzelf",
    # a sign denied by the words after it
    "zijn mond hangt niet scheef en hij praat normaal, hij is alleen heel moe van de bestraling",
    # over: "na een kwartier was het over"
    "ik kreeg het benauwd van de spanning in de wachtkamer, na vijf minuten was het over",
    # knowing a lot about a sign is no sign
    "ik ben verpleegkundige en weet heel veel over hartinfarcten, maar niet over uitzaaiingen",
    # thoughts of death said to be over and well
    "twee jaar geleden zei ze dat het voor haar niet meer hoefde, maar dat is goed gekomen. Wat is immunotherapie?",
    # a condition for later is no sign of now, whatever follows
    "hij is nu nog fit, maar wat doen we als hij later ineens geel wordt? Wie bellen we dan?",
    # ... and a general question followed by "nu" is no sign told
    "Wanneer moet je bellen als je geel wordt? Mijn moeder heeft nu nergens last van.",
    # a leave-taking, a pause in a treatment, something read elsewhere, a list of when to call,
    # a cry for help found to be something else
    "Goed, ik stop ermee voor vanavond. Tot later!",
    "Er zat een breuk in mijn chemo van twee weken, is dat erg?",
    "Op internet las ik dat iemand zijn heup zomaar brak, en op een forum schreef iemand dat je "
    "ineens verlamd kan raken. Hoe vaak gebeurt dat?",
    "We kregen een lijst mee: bellen bij koorts boven 38,5 of bij gele ogen. Waarom is dat?",
    "Mijn dochter riep 'help, het is dringend!' Bleek dat ze haar telefoon kwijt was. Wat een dag.",
    # asked ahead, with a condition: what to do then, not now
    "Wat moeten we doen als mijn man koorts krijgt tijdens zijn chemo?",
    # breathless at the news, told afterwards
    "Ik kreeg echt geen adem meer toen de chirurg vertelde dat het in de botten zat.",
    # a brochure about strokes is no stroke
    "Bij de huisarts lag een brochure van de Hartstichting over beroertes. Geven uitzaaiingen "
    "in de lever ook zoiets?",
    # asked ahead, all well now
    "Wat moeten we doen als mijn vader 's nachts ineens geen lucht meer krijgt? Nu gaat het nog "
    "goed, maar we willen voorbereid zijn.",
    "wat als hij ineens niet meer kan lopen? nu loopt hij nog gewoon naar de bakker",
    # whether a treatment helps, "now"; searching oneself to death on the internet
    "Ze gaan mijn heup bestralen, maar helpt dat nu echt tegen de pijn?",
    "Mijn zoon zegt dat ik me niet dood moet zoeken op internet. Zijn leveruitzaaiingen altijd "
    "dodelijk?",
])
def test_general_questions_and_figures_of_speech_are_no_alarm(parse, text):
    assert parse(text).get("alarm") is None


@pytest.mark.parametrize("text", [
    "ik heb sinds vannacht koorts van 39 met koude rillingen, ik zit midden in de chemo",
    "ik krijg ineens geen lucht meer, kan men mij helpen",
])
def test_signs_that_only_look_like_figures_or_general_questions_still_count(parse, text):
    assert parse(text).get("alarm") is not None


@pytest.mark.parametrize("text,level", [
    ("vrouw spuwt bloed wat moet ik doen", "levensbedreigend"),
    ("hij hoestte net een mondvol bloed op", "levensbedreigend"),
    ("zijn linkerarm hangt er ineens slap bij", "levensbedreigend"),
    ("ik denk erover al mijn morfine in één keer te nemen", "zelfdoding"),
    ("ik hoop dat ik morgen niet meer wakker word", "zelfdoding"),
    ("het gaat opeens heel slecht met mijn vader", "onbekend"),
    # a negative that a second negation stresses ("nergens ..., ook niet als ...")
    ("opa reageert nergens op, zelfs niet als we hard roepen", "levensbedreigend"),
    ("mijn zus zegt dat ik niet boos mag zijn om wat ze straks gaat doen", "zelfdoding"),
    ("hij spaart zijn morfine op in een doosje achter de handdoeken", "zelfdoding"),
    ("er is iets gebeurd met mijn moeder en ik heb meteen hulp nodig", "onbekend"),
    # what someone asked does not hide a sign of 112
    ("de vrouw van de meldkamer vroeg of hij bewusteloos is en dat is hij", "levensbedreigend"),
    # blue lips are an alarm even when called slight; gasping; a sentence he cannot finish
    ("haar lippen kleuren een beetje paars en ze zit voorovergebogen", "levensbedreigend"),
    ("ons pa zit in de zetel te happen naar adem", "levensbedreigend"),
    ("hij krijgt geen hele zin meer gezegd zonder te stoppen", "levensbedreigend"),
    ("ik hou al weken een paar pillen achter in mijn nachtkastje", "zelfdoding"),
    # thoughts of suicide count even when once over, if they come back or are told now
    ("vorig jaar wilde ik er een einde aan maken en het wordt weer erger, ook al ben ik goed "
     "hersteld van de operatie", "zelfdoding"),
    ("Vorig jaar wilde ik dood. Daar ben ik goed uitgekomen. Nu wil ik weer dood.", "zelfdoding"),
    ("jaren geleden dacht ik aan zelfmoord, daar ben ik goed uitgekomen, maar nu denk ik er "
     "weer aan", "zelfdoding"),
    # warning signs said without the word: giving things away, a lethal amount, not eating
    # on purpose, "don't be angry when you find me"
    ("mijn man heeft gisteren al zijn spullen weggegeven aan de buren", "zelfdoding"),
    ("hoeveel van mijn slaappillen moet ik innemen om in te slapen", "zelfdoding"),
    ("wat is dodelijk van morfine en wijn samen", "zelfdoding"),
    ("ik ga stoppen met eten en drinken, ik wil er vanaf zijn", "zelfdoding"),
    ("als je mij morgen vindt, wees niet boos", "zelfdoding"),
    # advice told, "maar" and a reading now; a reading beside something mild
    ("de verpleegkundige zei dat ik moet bellen als ik koorts krijg na de kuur, maar het is "
     "nacht en de thermometer zegt 38,6", "spoed"),
    ("ik zit in de chemo en heb 38,9, ik voel me alleen een beetje slap", "spoed"),
    # a supposition with "nu" is a report
    ("stel dat ik nu al 39 graden heb na de kuur, moet ik dan bellen", "spoed"),
    # a rule told, then a now in a clause of its own
    ("hij zei bel als het erger wordt, en het is nu erger, ze kan niet meer plassen", "spoed"),
    ("mijn vrouw houdt sinds vanmiddag haar plas niet meer onder controle", "spoed"),
    # a quotation mark is no word; veiled: a place now, a method, an earlier attempt
    ("mijn broer stuurde me 'sorry voor alles' en neemt niet meer op", "zelfdoding"),
    ("ik zit op het dak van de parkeergarage met mijn benen over de rand", "zelfdoding"),
    ("hoeveel fentanylpleisters tegelijk opplakken is genoeg om in te slapen", "zelfdoding"),
    # coughing up a cup of blood, one side that no longer works, bleeding in streams,
    # breathless even sitting still
    ("ons pa hoeste daarnet een kopje bloed op", "levensbedreigend"),
    ("mijn moeder kan haar rechter kant opeens niet meer gebruiken", "levensbedreigend"),
    ("het bloed komt er met stromen uit bij mijn vrouw", "levensbedreigend"),
    ("ik word steeds benauwder, zelfs stilzitten lukt bijna niet", "levensbedreigend"),
    # waiting for an appointment to come does not make a sign old; a "nee" that answers no
    # question of the writer
    ("sinds gisteren is het wit van mijn ogen geel, moet ik wachten tot de controle in juni",
     "spoed"),
    ("nee, ik krijg echt geen lucht meer, help", "levensbedreigend"),
    ("ik wil niet meer leven, nee echt niet meer", "zelfdoding"),
    # a death wish of someone else
    ("mijn vader zegt sinds gisteren dat het leven voor hem niet meer hoeft", "zelfdoding"),
    # in one long sentence without punctuation, a "now" moves the story on from what was old
    # or mild; "niet meer was" ends its clause before the next wish
    ("mijn vrouw heeft al maanden uitzaaiingen in haar heup en vanmiddag hoorde ze iets kraken "
     "toen ze opstond en nu kan ze er niet meer op staan het is een beetje blauw", "spoed"),
    ("ik denk soms was ik er maar niet meer was het leven voor mij maar voorbij", "zelfdoding"),
    # losing urine in everyday words; asked to help end a life; someone must come now
    ("mijn moeder kan haar water niet meer ophouden sinds vanochtend en haar rug doet zeer",
     "spoed"),
    ("sinds vannacht laat hij zijn plas lopen zonder het te merken, en zijn rug is al weken "
     "pijnlijk", "spoed"),
    ("mijn man vroeg of ik hem wil helpen om te sterven, hij heeft alles al klaargelegd",
     "zelfdoding"),
    ("alstublieft er moet zo snel mogelijk iemand naar ons huis komen", "onbekend"),
    # a vital function asked and answered no
    ("ik sta naast hem. ademt hij nog? nee, ik zie niks bewegen", "levensbedreigend"),
    ("Is ons ma nog aanspreekbaar? Neen.", "levensbedreigend"),
    # a negative question answered "nee" agrees with it
    ("Krijgt hij geen lucht meer? Nee, hij hapt alleen nog", "levensbedreigend"),
    # described rather than named, with a question about something else after it
    ("ik voel een knellend gevoel achter in mijn borst, zijn die pillen ook goed voor de lever",
     "levensbedreigend"),
    # how long it has lasted tells it, whatever the question after it asks
    ("drukkend gevoel op borst al 10 min is dat van de bestraling of nie", "levensbedreigend"),
    ("zware druk op de borst al een half uur is dat van de chemo", "levensbedreigend"),
    ("mijn man gaf net over, geen eten maar iets donkerrood met klonters. Is dat van de lever?",
     "levensbedreigend"),
    ("ze probeerde iets te zeggen maar de woorden kwamen er verkeerd uit, alsof ze dronken was",
     "levensbedreigend"),
    ("mijn pa zag er vandaag ineens geelgroen uit en zijn ontlasting is wit", "spoed"),
    ("er is iets heel ergs aan de hand met mijn broer, zeg me wat ik moet doen", "onbekend"),
    ("kom alsjeblieft, het is niet goed hier", "onbekend"),
    ("hij gaf net over en het was donkerrood, een hele kom vol", "levensbedreigend"),
    ("mijn zus krijgt haar zinnen er niet uit en zegt dat ze het woord niet vindt",
     "levensbedreigend"),
    ("ik lag net te schudden van de kou en nu ben ik warm, 39 en half, na de chemo", "spoed"),
    # a plea put as a question is still a plea
    ("kan er iemand komen alsjeblieft, het is niet goed hier?", "onbekend"),
    ("wil je me helpen, er is iets heel ergs aan de hand?", "onbekend"),
    # a person who does not respond on the phone is no device that does not respond
    ("ik bel mijn moeder op haar telefoon maar ze reageert niet meer", "levensbedreigend"),
    # help already on its way: whoever called judged it life-threatening
    ("de ambulance is onderweg, wat moet ik nu doen met mijn man", "levensbedreigend"),
    ("we hebben net 112 gebeld voor ons pa", "levensbedreigend"),
    # the time of a treatment is not the time of the complaint
    ("ik heb 39,2 koorts en ik heb vorige week nog chemo gehad, is een paracetamol goed",
     "spoed"),
    # "vorige week niet" says the complaint is new
    ("haar ogen zijn geel, vorige week was dat nog helemaal niet zo", "spoed"),
    ("help, SOS papa ligt op de grond", "levensbedreigend"),
    ("kan u iemand sturen naar ons huis", "onbekend"),
    # asking the bot to send someone is a plea, even as a question
    ("kunt u iemand sturen?", "onbekend"),
    ("ik ga niet wachten tot ik een kasplantje ben, de pillen liggen klaar", "zelfdoding"),
    ("hoeveel morfinepleisters is te veel in een keer, ik wil er vanaf", "zelfdoding"),
    ("ik denk elke dag na over hoe ik het kan doen zonder dat iemand het merkt", "zelfdoding"),
    # asked in general, then told as just now in the next sentence
    ("Is het erg als je ogen geel worden bij leveruitzaaiingen? Mijn zus zag het gisteren bij "
     "mijn vader.", "spoed"),
    # help for something unnamed, asked in a hurry
    ("Mijn man, snel, wie kan ik bellen?", "onbekend"),
    # a list of when to call, and then the reading of now
    ("de verpleging zei bellen bij koorts boven 38,5, nu heb ik 39,2 en gisteren had ik chemo",
     "spoed"),
    # pain said with an adverb, painkillers that do nothing
    ("mijn vader heeft zo verschrikkelijk pijn in zijn rug dat hij het niet meer uithoudt",
     "spoed"),
    ("sinds gisteren die heup, de paracetamol helpt geen moer en hij kan niet zitten", "spoed"),
    # told without punctuation, then asking the bot what to do: the help is asked now
    ("opa ligt te hijgen en zijn mond wordt helemaal blauw kunt u me zeggen wat ik moet doen",
     "levensbedreigend"),
    ("mijn vrouw ligt op de grond in de badkamer, wat moet ik doen", "levensbedreigend"),
    # asked politely first, then told what is happening now, in a clause of its own
    ("Ik wilde u vragen of bestraling kan helpen, want nu is de pijn zo erg dat ik lig te "
     "schreeuwen", "spoed"),
    ("volgens mij word ik geel, en mijn plas is zo donker als cola", "spoed"),
    ("onhoudbare pijn in mijn nek sinds vanmiddag, ik kan niet liggen en niet zitten", "spoed"),
    # choking, spurting blood, a weight on the chest, a seizure, words that come out as babble
    ("mijn moeder verslikte zich in een stukje brood en grijpt naar haar keel", "levensbedreigend"),
    ("uit de wond in zijn lies spuit ineens bloed, de handdoek is al doorweekt",
     "levensbedreigend"),
    ("hij zegt dat het voelt alsof er een steen op zijn borst ligt", "levensbedreigend"),
    ("ze ligt te schokken op de bank en heeft schuim op haar mond", "levensbedreigend"),
    ("opeens kwam er alleen nog gebrabbel uit bij opa", "levensbedreigend"),
    # legs like cotton wool, moaning with pain, a crack
    ("hij heeft uitzaaiingen in zijn rug en zegt sinds vanmorgen dat zijn benen als watten voelen",
     "spoed"),
    ("mijn vrouw ligt te kermen in bed, zo heb ik haar nog nooit gezien", "spoed"),
    ("haar arm deed krak toen ze de deur opende en nu hangt hij raar", "spoed"),
    # a wish to die said with the means or the place
    ("hoeveel slaappillen zijn genoeg om dood te gaan", "zelfdoding"),
    ("mijn vader zegt dat er een touw in de schuur ligt", "zelfdoding"),
    ("ik heb mijn pillen op een rij gelegd voor vannacht", "zelfdoding"),
])
def test_emergencies_said_in_everyday_words(parse, text, level):
    assert (parse(text).get("alarm") or {}).get("level") == level


def test_asking_for_a_doctor_right_now_is_an_urgent_plea(parse):
    assert parse("er is iets niet goed, ik heb nu een dokter nodig")["alarm"]["level"] == "onbekend"


def test_a_sign_told_beside_a_question_is_an_alarm(parse):
    result = parse("Ik heb sinds een uur pijn op de borst. Kan dat van de uitzaaiingen komen?")
    assert result["intent"]["name"] == "report_emergency"


@pytest.mark.parametrize("text", ["Ik heet Piet", "mijn naam is Jan de Vries",
                                  "ik wil er een einde aan maken"])
def test_names_are_no_alarm_and_real_words_are_not_read_as_other_words(parse, text):
    result = parse(text)
    suicide = "einde" in text
    assert (result["intent"]["name"] == "report_suicidal_thoughts") == suicide
    assert not [c for c in result["complaints"] if not c["negated"]]  # "maken" is no "manken"


def test_a_misspelled_word_is_read_as_the_word_the_bot_knows(parse):
    result = parse("wat is een uitzaaing")
    assert result["intent"]["name"] == "ask_definition"


def test_a_compound_written_as_two_words_is_read_as_the_compound(parse):
    values = {(e["entity"], e["value"])
              for e in parse("wat is de levens verwachting bij bot metastasen")["entities"]}
    assert {("topic", "levensverwachting"), ("site", "bot")} <= values
    # two words that make no word of the lexicons stay two words
    from components.spelling import SpellingCorrector

    corrector = SpellingCorrector(set(), None, None)
    assert corrector.compound("pijn", "stillers") == "pijnstillers"
    assert corrector.compound("na", "dat") is None and corrector.compound("ik", "wil") is None


def test_a_negated_topic_is_still_the_topic(parse):
    result = parse("waarom kunnen leveruitzaaiingen niet geopereerd worden?")
    values = {(e["entity"], e["value"]) for e in result["entities"]}
    assert {("site", "lever"), ("topic", "behandeling")} <= values


@pytest.mark.parametrize(
    "text", ["What are the symptoms of liver metastases?", "how long can I live with this"]
)
def test_english_is_recognised_as_another_language(parse, text):
    assert parse(text)["intent"]["name"] == "use_other_language"


@pytest.mark.parametrize("text", [
    "Wie lange dauert eine Bestrahlung bei Metastasen in den Lymphknoten?",
    "Quels sont les symptômes des métastases au foie ?",
])
def test_other_languages_are_recognised_by_their_word_frequencies(parse, text):
    assert parse(text)["intent"]["name"] == "use_other_language"


@pytest.mark.parametrize("text", ["wa is chemo eigenlijk", "erfelijk?", "allez, wa betekent da?"])
def test_flemish_and_short_dutch_are_not_another_language(parse, text):
    assert parse(text)["intent"]["name"] != "use_other_language"


@pytest.mark.parametrize("text", ["", " ", "\t\n  ", "\u200b\ufeff", "\x00\x1b"])
def test_a_message_with_nothing_visible_is_an_empty_message(parse, text):
    """The classifier fails on a message without tokens: the guard catches it first."""
    assert parse(text)["intent"] == {"name": "send_empty_message", "confidence": 1.0}


def test_lone_surrogates_do_not_break_tokenization(parse):
    """JSON allows "\\ud800"; spaCy cannot encode it. It becomes U+FFFD."""
    assert parse("Wat zijn metastasen?\ud800")["intent"]["name"] == "ask_definition"


def new_triage():
    """An AlarmTriage with the shipped levels and default config, without a trained model
    (tests replace its two nets)."""
    from components.alarm_triage import AlarmTriage, Levels

    return AlarmTriage({**AlarmTriage.get_default_config()}, Levels.load(), None, None)


def test_an_unconfirmed_alarm_intent_gives_way_to_what_the_classifier_believes_without_it():
    """The other intents' confidences are read given that it is no alarm; if none is sure
    enough then, the message has no intent to lean on (nlu_fallback)."""
    triage = new_triage()

    def demoted(ranking):
        message = Message(data={"text": "x"})
        message.set("intent", ranking[0])
        message.set("intent_ranking", ranking)
        triage._demote(message, set(triage.levels.level_of_intent))
        return message.get("intent")

    sure = demoted([{"name": "report_suicidal_thoughts", "confidence": 0.77},
                    {"name": "share_diagnosis", "confidence": 0.22},
                    {"name": "ask_topic", "confidence": 0.01}])
    assert sure["name"] == "share_diagnosis" and sure["confidence"] == pytest.approx(0.22 / 0.23)
    unsure = demoted([{"name": "report_urgent_complaint", "confidence": 0.88},
                      {"name": "describe_symptoms", "confidence": 0.03},
                      {"name": "ask_topic", "confidence": 0.03},
                      {"name": "share_diagnosis", "confidence": 0.03},
                      {"name": "inform", "confidence": 0.03}])
    assert unsure["name"] == "nlu_fallback"


@pytest.mark.parametrize("ranking,alarm", [
    (["ask_topic", "share_diagnosis", "report_suicidal_thoughts", "inform"], True),
    (["ask_topic", "share_diagnosis", "inform", "report_suicidal_thoughts"], False),
])
def test_the_alarm_classifier_alone_needs_the_intent_classifier_to_rank_the_level(ranking, alarm):
    """Without a lexicon sign, the alarm classifier's level counts only when the intent
    classifier has that level's intent among its three best."""
    triage = new_triage()
    triage.lexicon_signs = lambda message: ([], set())
    triage.classifier_levels = lambda message, rejected: {"zelfdoding": 0.9}
    message = Message(data={"text": "x"})
    confidences = [0.4, 0.3, 0.2, 0.1]
    message.set("intent", {"name": ranking[0], "confidence": 0.4})
    message.set("intent_ranking", [{"name": n, "confidence": c}
                                   for n, c in zip(ranking, confidences)])
    triage.process([message])
    assert (message.get("alarm") is not None) == alarm


@pytest.mark.parametrize("score,alarm", [(0.95, True), (0.85, False)])
def test_a_classifier_sure_enough_of_suicide_needs_no_rank(score, alarm):
    """A sentence of plans in a story that ends in a question about the metastases: the
    intent classifier hears the question; the alarm classifier, this sure, counts alone."""
    from components.alarm_triage import AlarmTriage, Levels

    triage = AlarmTriage({**AlarmTriage.get_default_config(),
                          "sure_without_rank": {"zelfdoding": 0.9}}, Levels.load(), None, None)
    triage.lexicon_signs = lambda message: ([], set())
    triage.classifier_levels = lambda message, rejected: {"zelfdoding": score}
    message = Message(data={"text": "x"})
    ranking = ["ask_topic", "share_diagnosis", "inform", "report_suicidal_thoughts"]
    message.set("intent", {"name": ranking[0], "confidence": 0.4})
    message.set("intent_ranking", [{"name": n, "confidence": c}
                                   for n, c in zip(ranking, [0.4, 0.3, 0.2, 0.1])])
    triage.process([message])
    assert (message.get("alarm") is not None) == alarm


def test_without_a_sign_the_level_the_classifier_is_surest_of_counts():
    """Two levels over their thresholds and no lexicon sign: the more probable one, not the
    more urgent one (goodbye letters are a sign of suicide more than of 112)."""
    triage = new_triage()
    triage.lexicon_signs = lambda message: ([], set())
    message = Message(data={"text": "x"})
    message.set("intent", {"name": "report_suicidal_thoughts", "confidence": 0.6})
    message.set("intent_ranking", [{"name": "report_suicidal_thoughts", "confidence": 0.6},
                                   {"name": "report_emergency", "confidence": 0.3},
                                   {"name": "ask_topic", "confidence": 0.1}])
    triage.classifier_levels = lambda message, rejected: {"levensbedreigend": 0.8,
                                                          "zelfdoding": 0.95}
    triage.process([message])
    assert message.get("alarm")["level"] == "zelfdoding"


def test_a_sign_of_urgency_with_the_classifier_sure_of_suicide_says_both():
    """Both nets: the lexicon finds pain (spoed), the classifier is sure of thoughts of
    suicide (pills saved up): the urgent level, and 113 beside it."""
    triage = new_triage()
    triage.lexicon_signs = lambda message: ([("plotselinge_hevige_pijn", "spoed")], set())
    triage.classifier_levels = lambda message, rejected: {"zelfdoding": 0.95, "spoed": 0.1}
    message = Message(data={"text": "x"})
    message.set("intent", {"name": "ask_topic", "confidence": 0.6})
    message.set("intent_ranking", [{"name": "ask_topic", "confidence": 0.6}])
    triage.process([message])
    assert message.get("alarm")["level"] == "spoed"
    assert message.get("alarm")["also"] == ["zelfdoding"]


def test_an_urgent_level_the_classifier_alone_heard_in_a_calm_message_does_not_count():
    triage = new_triage()
    triage.lexicon_signs = lambda message: ([], set())
    triage.classifier_levels = lambda message, rejected: {"spoed": 0.9}

    def alarm(marker_ids, questions=()):
        message = Message(data={"text": "x"})
        message.set("frame", {"questions": list(questions), "sentences": 1, "matches": [
            {"kind": "marker", "id": m, "negated": False, "sentence": 0, "clause": 0,
             "first": i, "last": i} for i, m in enumerate(marker_ids)]})
        message.set("intent", {"name": "report_urgent_complaint", "confidence": 0.9})
        message.set("intent_ranking", [{"name": "report_urgent_complaint", "confidence": 0.9},
                                       {"name": "ask_topic", "confidence": 0.1}])
        triage.process([message])
        return message.get("alarm")

    assert alarm(["longstanding"]) is None  # "al maanden dezelfde rugpijn"
    assert alarm(["longstanding", "worse"]) is not None  # "... maar nu ineens veel erger"
    assert alarm(["present", "controlled"]) is None  # "de pijn is nu goed onder controle"
    assert alarm(["controlled", "worse"]) is not None
    assert alarm([]) is not None
    # a question about no one ("werkt die bestraling ook tegen de pijn"), unless someone or
    # something of now is in it
    assert alarm([], questions=[0]) is None
    assert alarm(["personal"], questions=[0]) is not None
    assert alarm(["present"], questions=[0]) is not None


def test_the_fast_intent_classifier_gives_the_stock_probabilities():
    """components/intent_classifier.py only lays the weights out differently."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from components.intent_classifier import FastLogisticRegressionClassifier

    rng = np.random.default_rng(0)
    X = sparse.random(60, 500, density=0.05, format="csr", random_state=1)
    y = rng.choice(["a", "b", "c"], size=60)
    clf = LogisticRegression(max_iter=200).fit(X, y)
    expected = clf.predict_proba(X[:5])
    component = FastLogisticRegressionClassifier.__new__(FastLogisticRegressionClassifier)
    component.clf = clf
    component._fortran_weights()
    assert clf.coef_.flags["F_CONTIGUOUS"]
    assert np.allclose(clf.predict_proba(X[:5]), expected)


def test_a_restart_needs_words_of_starting_over():
    """Starting over wipes the conversation: a question with "begin" in it is no restart."""
    triage = new_triage()

    def decided(text):
        message = Message(data={"text": text})
        ranking = [{"name": "restart", "confidence": 0.6}, {"name": "ask_topic", "confidence": 0.4}]
        message.set("intent", ranking[0])
        message.set("intent_ranking", ranking)
        triage.process([message])
        return message.get("intent")["name"]

    assert decided("merk je dat in het begin al?") == "ask_topic"
    assert decided("kunnen we opnieuw beginnen") == "restart"


@pytest.mark.parametrize("config", [
    {"use_lemma": True, "ngram_range": [1, 2]},
    {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5, "use_lemma": False, "min_df": 2},
])
def test_the_sentence_featurizer_gives_the_stock_sentence_features(tmp_path, config):
    """components/sentence_featurizer.py leaves out the per-token rows only: over the whole
    training data, in training and at work, its sentence rows equal the stock featurizer's."""
    import copy

    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.training_data.loading import load_data

    from components.sentence_featurizer import SentenceCountVectorsFeaturizer

    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    data = load_data("data/nlu")
    tokenizer.process_training_data(data)
    new = [Message(data={"text": t}) for t in
           ("hoe lang leef je nog met uitzaaiingen in de botten?", "wat is RFA", "x")]
    tokenizer.process(new)

    def featurized(cls, name):
        component = cls.create({**cls.get_default_config(), **config}, storage,
                               Resource(name), context)
        trained = copy.deepcopy(data)
        component.train(trained)
        component.process_training_data(trained)
        asked = copy.deepcopy(new)
        component.process(asked)
        return [m.get_sparse_features("text") for m in trained.training_examples + asked]

    stock = featurized(CountVectorsFeaturizer, "stock")
    ours = featurized(SentenceCountVectorsFeaturizer, "ours")
    assert len(stock) == len(ours) > 1000
    for (_, stock_sentence), (sequence, sentence) in zip(stock, ours):
        assert sequence is None
        assert stock_sentence.features.shape == sentence.features.shape
        assert (stock_sentence.features != sentence.features).nnz == 0


def test_a_plea_for_help_takes_the_level_the_classifier_heard():
    """"ambulance" says help is needed, not what for: a more specific level the classifier
    heard in the message counts (components/alarm_triage.py)."""
    triage = new_triage()
    triage.lexicon_signs = lambda message: ([("dringende_hulp", "onbekend")], set())
    triage.classifier_levels = lambda message, rejected: {"spoed": 0.9, "onbekend": 0.8}
    message = Message(data={"text": "x"})
    message.set("intent", {"name": "ask_urgent_help", "confidence": 0.5})
    message.set("intent_ranking", [{"name": "ask_urgent_help", "confidence": 0.5},
                                   {"name": "report_urgent_complaint", "confidence": 0.4}])
    triage.process([message])
    assert message.get("alarm")["level"] == "spoed"
    assert message.get("intent")["name"] == "report_urgent_complaint"


def test_the_intent_classifier_saved_as_arrays_gives_the_same_probabilities(tmp_path):
    """components/intent_classifier.py saves classes, weights and intercepts instead of a
    skops file; loaded again, the classifier answers with the very same probabilities."""
    import numpy as np
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from scipy import sparse

    from components.intent_classifier import FastLogisticRegressionClassifier

    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("intent_classifier")
    config = FastLogisticRegressionClassifier.get_default_config()
    trained = FastLogisticRegressionClassifier.create(config, storage, resource, context)
    rng = np.random.default_rng(0)
    X = sparse.random(90, 400, density=0.05, format="csr", random_state=2)
    trained.clf.fit(X, rng.choice(["ask_topic", "greet", "report_emergency"], size=90))
    trained.persist()
    loaded = FastLogisticRegressionClassifier.load(config, storage, resource, context)
    assert list(loaded.clf.classes_) == list(trained.clf.classes_)
    assert np.allclose(loaded.clf.predict_proba(X), trained.clf.predict_proba(X))
    assert loaded.clf.coef_.flags["F_CONTIGUOUS"]


@pytest.mark.parametrize("frame,alarm", [
    # "... zeg me eerlijk, hoe lang heb ik nog?": asked, no sign of the lexicon
    ({"questions": [1], "matches": [{"kind": "marker", "id": "own_outlook", "negated": False,
                                     "sentence": 1, "first": 3, "last": 6}]}, False),
    # the same words told, not asked, leave the classifier its say
    ({"questions": [], "matches": [{"kind": "marker", "id": "own_outlook", "negated": False,
                                    "sentence": 1, "first": 3, "last": 6}]}, True),
])
def test_a_question_how_long_one_has_left_is_no_thought_of_suicide(frame, alarm):
    """Without a sign of the lexicon, the alarm classifier's despair in a long story that asks
    how long someone has left is no alarm of 113; the lexicon's signs still count."""
    triage = new_triage()
    triage.lexicon_signs = lambda message: ([], set())
    triage.classifier_levels = lambda message, rejected: {"zelfdoding": 0.95}
    message = Message(data={"text": "x"})
    message.set("frame", frame)
    message.set("intent", {"name": "report_suicidal_thoughts", "confidence": 0.6})
    message.set("intent_ranking", [{"name": "report_suicidal_thoughts", "confidence": 0.6},
                                   {"name": "ask_personal_prognosis", "confidence": 0.4}])
    triage.process([message])
    assert (message.get("alarm") is not None) == alarm


@pytest.mark.parametrize("text", [
    "Ik wil niet meer. Hoe lang heb ik nog?",
    "ik zie het echt niet meer zitten, hoe lang heb ik nog met die botuitzaaiingen",
])
def test_thoughts_of_suicide_beside_a_question_of_time_left_still_count(parse, text):
    assert parse(text)["alarm"]["level"] == "zelfdoding"

"""Party rules on sentences written for them: who an act is aimed at when the roles alone do
not say."""

from __future__ import annotations


def _dyads(events, kind):
    return {(e.source and e.source.country, e.target and e.target.country) for act in events
            for e in act.each_dyad() if e.event_type == kind}


def test_a_target_inside_a_compound_source_pairs_the_members(code):
    # "between the two countries" names the signers themselves: each signs with the other
    events = code("Peru's foreign minister and his Chilean counterpart signed four accords between the "
                  "two countries.", "2021-02-03")
    assert _dyads(events, "SUPPORT") == {("PER", "CHL"), ("CHL", "PER")}
    # a party named inside the deal is one of the signers, not a third party
    events = code("Kenya and Uganda signed a pact that lowers duties on Ugandan sugar.", "2021-02-03")
    assert _dyads(events, "SUPPORT") == {("KEN", "UGA"), ("UGA", "KEN")}


def test_the_word_that_selects_the_act_is_no_target(code):
    # "on alert" is part of the act; where the reservists stand ready is what it is aimed at
    events = code("Army reservists remained on alert in Mosul after the raid.", "2019-08-26")
    alert = [e for e in events if e.event_type == "MOBILIZE" and e.trigger.text == "remained"]
    assert alert and alert[0].target is not None and alert[0].target.text == "Mosul"


def test_a_refusal_to_stop_until_another_acts_is_aimed_at_it(code):
    events = code("Striking Greek dockers said they would not call off the walkout until China's COSCO "
                  "restored the lost jobs.", "2016-03-01")
    refusal = [e for e in events if e.event_type == "REJECT" and "party:condition" in e.rule]
    assert refusal and refusal[0].source.country == "GRC" and refusal[0].target.country == "CHN"


def test_a_body_named_by_a_singular_noun_is_the_it_of_its_own_clause(code):
    events = code("The union said that it would not call off the walkout.", "2016-03-01")
    refusal = [e for e in events if e.event_type == "REJECT"]
    assert refusal and refusal[0].source is not None and refusal[0].source.text.endswith("union")


def test_what_an_operator_alone_agrees_to_do_somewhere_is_aimed_at_the_place(code):
    events = code("The Dutch government agreed to build a cyber research centre in Rotterdam.", "2022-05-04")
    agree = [e for e in events if e.event_type == "AGREE"]
    assert agree and agree[0].source.country == "NLD"
    assert agree[0].target is not None and agree[0].target.text == "Rotterdam"


def test_a_described_body_keeps_its_place_tail_but_not_the_places_country(code):
    events = code("Ireland praised the UN peacekeeping force in Lebanon.", "2022-05-04")
    praise = [e for e in events if e.event_type == "SUPPORT"]
    assert praise and praise[0].target.text == "UN peacekeeping force in Lebanon"
    assert praise[0].target.code == "UNO" and praise[0].target.country is None


def test_talks_held_with_a_third_party_are_with_it_not_among_the_visitors(code):
    events = code("The Spanish foreign minister and her Portuguese counterpart held talks in Rabat with "
                  "King Mohammed VI.", "2023-03-02")
    dyads = _dyads(events, "CONSULT")
    assert {("ESP", "MAR"), ("PRT", "MAR"), ("MAR", "ESP"), ("MAR", "PRT")} <= dyads
    assert ("ESP", "PRT") not in dyads and ("PRT", "ESP") not in dyads


def test_turning_down_a_request_is_done_to_whoever_asked(code):
    events = code("The Chilean president rejected the interior minister's request to dissolve the riot police.",
                  "2023-03-02")
    refusal = [e for e in events if e.event_type == "REJECT"]
    assert refusal and refusal[0].target is not None and refusal[0].target.text == "interior minister"


def test_whoever_is_let_act_is_the_party_before_those_it_acts_on(code):
    events = code("Khartoum agreed to permit Red Cross teams to deliver medicine to camps in Darfur.",
                  "2021-07-01")
    allowed = [e for e in events if e.source is not None and e.source.country == "SDN"]
    assert allowed and allowed[0].target is not None and allowed[0].target.code == "ICRC"


def test_whoever_attends_a_meeting_meets_and_the_place_does_not_meet_back(code):
    events = code("Last May, the Kenyan finance minister attended an anti-corruption summit in London.", "2016-06-01")
    summit = [e for e in events if e.event_type == "CONSULT"]
    assert summit and all(e.source is not None and e.source.country == "KEN" for e in summit)
    assert {e.target.country for e in summit if e.target is not None} == {"GBR"}


def test_a_group_of_a_region_takes_no_country_from_the_sentence(code):
    # "West African leaders" are not Mali's leaders because Mali is the one country named
    events = code("West African leaders suspended Mali from the bloc on Sunday.", "2021-05-30")
    suspended = [e for e in events if e.event_type == "SANCTION"]
    assert suspended and all(e.source is not None and e.source.country is None and e.target is not None
                             and e.target.country == "MLI" for e in suspended)


def test_a_states_own_office_is_not_a_group_of_a_region():
    from realpolitik.nlp.regions import regional as _regional

    assert _regional("Arab foreign ministers") and _regional("foreign journalists")
    assert not _regional("the foreign ministry") and not _regional("former foreign minister")
    assert not _regional("the regional parliament")  # a region within one state


def test_a_party_of_the_acts_purpose_is_not_its_target(code):
    # "to signal solidarity with Azerbaijan" says why; the depots bombed were in Iraq
    events = code("Turkish jets bombed fuel depots in northern Iraq to signal solidarity with Azerbaijan.", "2022-06-01")
    bombed = [e for e in events if e.event_type == "ASSAULT"]
    assert bombed and all(e.target is not None and e.target.country == "IRQ" for e in bombed)

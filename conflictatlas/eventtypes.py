"""ACLED event type and sub-event type of a short text, by transparent rules.

The rules encode the definitions of ACLED's codebook (six event types, 25 sub-event types):

* **Protests** are demonstrations whose participants stay non-violent. *Peaceful protest* when
  nobody intervenes, *Protest with intervention* when the protest is dispersed or suppressed
  (arrests, tear gas, rubber bullets, water cannon, beatings) without serious or lethal injuries,
  *Excessive force against protesters* when lethal weapons are used on peaceful demonstrators or
  they suffer serious/lethal injuries.
* **Riots**: *Violent demonstration* when the demonstrators themselves turn violent (stones,
  burning tyres, vandalism, clashes with police); *Mob violence* for violent crowds with no
  demonstration aim (lynchings, vigilante "justice", communal and party-supporter brawls).
* **Battles** between two organised armed groups: *Armed clash*, or a change of territory after
  fighting (*Government regains territory*, *Non-state actor overtakes territory*).
* **Explosions/Remote violence**, one-sided by the weapon: air/drone strikes, shelling/
  artillery/missiles, remote explosives (IED, landmine, roadside or car bomb), grenades,
  suicide bombs, chemical weapons.
* **Violence against civilians**: an armed group deliberately harms unarmed people: *Attack*,
  *Abduction/forced disappearance*, *Sexual violence*.
* **Strategic developments**: arrests, agreements (ceasefires, peace deals, surrenders,
  prisoner exchanges), changes to a group or its activity (recruitment, deployments, alliances,
  security measures), disrupted weapons use (defusals, seizures, interceptions), bases
  established, looting/property destruction, non-violent transfers of territory, and *Other*.

Every decision is a small named rule, so a guess carries the words that decided it
(:attr:`TypeGuess.trigger`, a character span into the text) and a readable reason
(:attr:`TypeGuess.why`). Everything is precompiled at import; :func:`classify` takes well under a
millisecond for a short text and needs no model.

ACLED's own notes carry two conventions that the rules use when present and never need: a
leading tag naming a strategic development ("Looting: On 5 May ...") and a ``[size=...]`` tail,
which ACLED writes on demonstration events only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .event import DISORDER_TYPES, EVENT_TYPES
from .prefilter import PrefixIndex, start_prefixes

__all__ = ["TypeGuess", "classify", "classify_sentences", "SUB_TO_TYPE", "disorder_for"]

#: sub-event type -> event type
SUB_TO_TYPE = {sub: et for et, subs in EVENT_TYPES.items() for sub in subs}


def disorder_for(event_type: str, sub_event_type: str | None = None) -> str:
    """ACLED's disorder type. A *violent demonstration* is a demonstration; mob violence is not."""
    if sub_event_type == "Violent demonstration":
        return DISORDER_TYPES["Protests"]
    return DISORDER_TYPES[event_type]


@dataclass
class TypeGuess:
    event_type: str
    sub_event_type: str
    disorder_type: str              # from DISORDER_TYPES
    civilian_targeting: str | None  # "Civilian targeting" when civilians are the target, else None
    score: float                    # 0..1 confidence
    trigger: tuple[int, int] | None  # char span in the given text of the word(s) that decided it
    why: str                        # short human-readable reason


# ---------------------------------------------------------------------------------------------
# Lexicon. Each cue is a regular expression over the lower-cased text (lower-casing keeps the
# offsets). Word boundaries are added around every cue.
# ---------------------------------------------------------------------------------------------

_ARMED = (r"soldiers?|troops?|army|military|militar\w+|police\w*|policem[ae]n|gendarme\w*|officers?|"
          r"forces?|militants?|fighters?|rebels?|insurgents?|jihadists?|militia\w*|guerrillas?|"
          r"terrorists?|extremists?|separatists?|"
          r"combatants?|commanders?|guards?|patrols?|convoys?|checkpoints?|positions|military bases?|"
          r"(?:police|military|army|check|security) ?posts?|barracks|outposts?|"
          r"battalion|brigade|regiment|units?|personnel|paramilitar\w+|"
          r"security (?:forces|personnel|guards?)|jawans?|marines|sergeant|captain|lieutenant|colonel|"
          r"self-defen[cs]e|hunters|dozos?|operatives|elements|tanks?|armou?red|military vehicles?|"
          r"(?:gang|cartel|faction|militia|armed group) members|gangsters?|hitm[ae]n|bandits?|pirates")
_CIVIL = (r"civilians?|villagers?|residents?|locals?|farmers?|herders?|traders?|merchants?|"
          r"women|woman|girls?|boys?|child(?:ren)?|minors?|teen\w*|students?|teachers?|"
          r"pupils?|journalists?|reporters?|activists?|worker\w*|drivers?|passengers?|"
          r"motorists?|pedestrians?|shop\s?keepers?|vendors?|family|families|man|men|"
          r"persons?|people|individuals?|victims?|elderly|wife|husband|son|daughter|mother|"
          r"father|brother|sister|nephew|uncle|priest|pastor|imam|monk|chief|leaders?|"
          r"candidates?|politicians?|mayor|councill?ors?|lawyers?|doctors?|nurses?|"
          r"displaced|idps?|refugees?|migrants?|worshipp?ers?|fishermen|miners?|"
          r"businessm[ae]n|owners?|employees?|staff|officials?|administrator|homes?|houses?|"
          r"village|market|school|church|mosque|hospital|bus|taxi|car\b|body|bodies|corpses?")

_CUES: dict[str, str] = {
    # --- demonstrations -------------------------------------------------------------------
    "protest": (r"protest(?!ant)\w*|demonstrat(?:ion|ions|ors?)\b|demonstrat(?:ed|ing|e)\b"
                r"(?! (?:that|how|its|his|her|their|an? |intelligence|reports?|capabilit|skills?|"
                r"resolve|commitment|support for|the (?:abilit|capacit|effectiv|power|need|importan)))|counter-?demonstrat\w+|"
                r"rall(?:y|ies|ied|ying)|marched|marching|(?:a|the|protest|peace|solidarity|"
                r"silent|peaceful|funeral) march(?:es)?|sit-?ins?|picket\w*|"
                r"hunger strike|(?:general|labou?r|workers'?|teachers'?|nationwide) strike|"
                r"(?:on|went on|go on|staged an?|held an?|started an?|launched an?|continued (?:their|the|a)) "
                r"(?:\w+ )?strike|strike action|walk-?outs?|walked out|boycott\w*|vigils?|"
                r"took to the streets?|gathered (?:to|in front|outside|at|in)|chant\w*|"
                r"placards?|banners?|slogans?|motorcades?|caravan|commemorat\w+|petition\w*|"
                r"blockade\w*|occupied|flash mob|human chain|press conference|"
                r"demand(?:ed|ing|s)?|denounc\w+|condemn(?:ed|ing)|calling for|called for|"
                r"in support of|in solidarity|against the|express(?:ed|ing)? (?:their )?"
                r"(?:opposition|anger|discontent|frustration|support|concern)|opposition to|"
                r"complain\w*|in protest|to call (?:on|for)|to press|grievances?"),
    "protest_strong": (r"protest(?:ed|ers?|ing|s)?|demonstrat(?:ion|ions|ors?)\b|"
                       r"demonstrat(?:ed|ing|e)\b(?! (?:that|how|its|his|her|their|an? |intelligence|"
                       r"reports?|capabilit|skills?|resolve|commitment|support for|the (?:abilit|"
                       r"capacit|effectiv|power|need|importan)))|"
                       r"rall(?:y|ies|ied)|sit-?ins?|marched|picket\w*|hunger strike|"
                       r"(?:a|the|protest|peace|peaceful|solidarity|silent|funeral) march(?:es)?|"
                       r"(?:general|labou?r|workers'?) strike|(?:on|went on|staged an?) strike|"
                       r"took to the streets?|vigils?|human chain|"
                       r"(?:climate|school|weekly|student|students'|doctors'|nurses'|national|warning|"
                       r"sit-down|symbolic|general|labou?r|workers'?) strikes?|"
                       r"(?:gathered|assembled|blocked|occupied|rode|drove|walked|paraded|stood|"
                       r"congregated|convened)[^.;]{0,90}?\b(?:to|and) (?:demand|protest|call|denounce|condemn|mark|"
                       r"commemorate|show|express|honou?r|mourn|pay tribute|remember|oppose|support|"
                       r"celebrate|raise awareness|bring awareness|rally|voice|pray|reject|ask|"
                       r"request|urge|press|stand|denounce|complain|protest|draw attention|"
                       r"insist|claim|refuse|highlight|criticize|criticise|decry|condemn|"
                       r"commemorate|show solidarity|express)|"
                       r"(?:gathered|assembled|blocked|occupied|barricaded|besieged|sat|stood)[^.;]{0,90}?,\s*"
                       r"(?:demanding|insisting|calling for|protesting|chanting|denouncing|urging)\b|"
                       r"(?:gathered|assembled|rallied) (?:\w+ )?(?:in support|in solidarity|in memory|"
                       r"in honou?r|over|against|for)|demand(?:ed|ing)? justice"),
    "size_tag": r"\[size=",
    "riot_word": r"mob violence|lynch\w*|mob justice|jungle justice|instant justice|vigilantism|"
                 r"riot(?:s|ers?|ing|ed)?(?! (?:police|gear|control|squad|units?|officers|shields?|act))|unrest|violent (?:protest|demonstration)\w*",
    "riot_act": (r"(?:threw|throw\w*|hurl\w*|pelt\w*|lob\w*|launch\w*) (?:\w+ ){0,3}?"
                 r"(?:stones?|rocks?|bricks?|bottles?|projectiles?|molotov\w*|petrol bombs?|"
                 r"firebombs?|fire ?crackers|fireworks|objects|eggs|chairs|sticks)|"
                 r"stone-?pelt\w*|stoning|stoned(?! to death)|molotov\w*|petrol bombs?|(?:stones|rocks|projectiles|"
                 r"bottles|objects|bricks|missiles) (?:were )?(?:thrown|hurled|pelted)|"
                 r"throws? (?:a |an |the )?\w+ (?:at|into)|"
                 r"set(?:ting)? (?:\w+ ){0,4}?(?:ablaze|alight|on fire|fire to)|torch(?:ed|ing)|"
                 r"burn(?:ed|t|ing)? (?:\w+ ){0,3}?(?:tyres?|tires?|vehicles?|cars?|buses|debris|"
                 r"objects|barricades?|offices?|buildings?|police station|property|houses?|shops?|"
                 r"huts?)|(?:barricades?|blockades?|blocked \w+(?: \w+)?) with (?:\w+ )?"
                 r"(?:rocks|stones|tree|branches|burning|logs|woods?|tyres|tires)|"
                 r"vandali[sz]\w*|ransack\w*|loot(?:ed|ing)|smash\w*|destroy(?:ed|ing)|"
                 r"damag(?:ed|ing) (?:\w+ ){0,3}?(?:property|propert\w+|vehicles?|cars?|shops?|"
                 r"buildings?|offices?|windows|police|stores?|equipment)|"
                 r"pull(?:ed)? down|tore down|took (?:\w+ ){0,3}hostage|"
                 r"clash(?:ed|es)?|fired? (?:\w+ )?(?:firecrackers|fireworks|flares) (?:at|against)|"
                 r"attack(?:ed|ing)? (?:the )?(?:police|officers|security|"
                 r"journalists|a police|soldiers)|assault(?:ed|ing) (?:\w+ )?(?:police|officers)|"
                 r"injur(?:ed|ing) (?:\w+ ){0,2}?(?:police|officers|policem[ae]n|soldiers)|"
                 r"(?:stormed|forced (?:their way )?into|broke into|invaded)|"
                 r"barricad\w+|burning tyres|burning tires|scuffl\w+|confrontations?|fought|"
                 r"turned violent|became violent|violent (?:clash|scuffle|confrontation|"
                 r"demonstration|protest)\w*|violence (?:broke out|erupted)|scene of (?:\w+ )?"
                 r"violence|street violence|turns? (?:very )?violent|outbreaks? of violence|"
                 r"descended into (?:\w+ ){0,4}?violence|removed (?:the )?(?:fences?|barriers?)|chaotic|aggressive|brawl\w*|shoving|fights? (?:between|broke)"),
    "intervene": (r"tear ?-?gas\w*|teargas\w*|rubber bullets?|plastic bullets|rubber-coated|"
                  r"water ?cannons?|pepper spray\w*|stun grenades?|sound grenades?|"
                  r"(?:with|used|using|wielding) batons?|baton-?charg\w+|lathi-?charg\w+|truncheons?|dispers\w+|broke up|"
                  r"break up|cracked down|crackdown|suppress\w*|"
                  r"(?<!the )(?<!for )arrested|detained|apprehended|arrests (?:were|was) made|"
                  r"took (?:\w+ )?into custody|taken into custody|rounded up|"
                  r"beat (?:up )?(?:the )?(?:protesters|demonstrators|participants|them)|"
                  r"(?:were|was|being) (?:\w+ )?beaten|"
                  r"forcibly (?:removed|evicted|dispersed)|(?:were|was) removed|evicted|"
                  r"prevented (?:them|the|protesters|demonstrators)|"
                  r"blocked (?:them|the protesters|the demonstrators|the march)|kettled|pushed back|"
                  r"fired (?:\w+ )?(?:shots )?in(?:to)? the air|warning shots|intervened|"
                  r"manhandl\w+|(?:attacked|assaulted) (?:the )?(?:\w+ )?(?:protesters|demonstrators|"
                  r"participants|march|rally|sit-in|protest)|"
                  r"(?:protesters?|demonstrators?|participants) (?:were|was) (?:\w+ )?"
                  r"(?:injured|wounded|attacked|assaulted|arrested|detained)|"
                  r"(?:detain|arrest|chas|beat|hit|drag|push|kick|pepper-spray|round)\w* (?:up )?"
                  r"(?:\w+ ){0,3}?(?:protesters?|demonstrators?|marchers|them|participants|crowds?)|"
                  r"(?:struggled|tried|attempted) to (?:drag|remove|disperse|clear)"),
    "lethal_force": (r"live (?:ammunition|bullets|rounds|fire)|shot (?:dead|and killed)|"
                     r"opened fire (?:on|at)|fired (?:live )?(?:bullets|shots|rounds) (?:at|on|into)|"
                     r"(?:protesters?|demonstrators?|participants) (?:\w+ )?(?:were|was) (?:\w+ )?"
                     r"(?:killed|shot|seriously|critically)|(?:protesters?|demonstrators?) died|"
                     r"killing (?:one|two|three|\d+|several|many|a|an) (?:\w+ )?"
                     r"(?:protesters?|demonstrators?|participants)|"
                     r"excessive force|brutal(?:ly)? (?:\w+ )?(?:attack|beat|suppress|disperse|"
                     r"crack)\w*|violently (?:suppress|dispers|crack|attack|beat)\w*|lethal force|"
                     r"violent (?:crackdown|suppression|dispersal|repression)|"
                     r"deadly (?:crackdown|force|repression)"),
    "lethal_weak": (r"(?:people|persons?|one|two|three|\d+|several) (?:\w+ )?(?:were|was) (?:\w+ )?"
                    r"(?:killed|shot dead|seriously|critically)|died|death|"
                    r"seriously (?:injur|wound)\w+|serious(?:ly)? injur\w+|critically (?:injur|wound)\w+|"
                    r"bullet wounds?|gunshot wounds?|hospitali[sz]ed|die|dies|dead|fatal\w*|deaths"),
    "mob_strong": (r"(?:angry|irate|enraged|furious) (?:\w+ )?(?:crowds?|residents|villagers|youths?|locals|"
                   r"mobs?|people|community members)|youths? (?:\w+ )?(?:torched|burned|burnt|set fire|"
                   r"stormed|pelted|threw|hurled|vandali[sz]ed|ransacked|attacked)|"
                   r"mobs?|lynch\w*|vigilante justice|vigilantism|jungle justice|mob justice|instant justice|"
                   r"street justice|rioters|(?:inter-?)?communal (?:clash|violence|fight)\w*"),
    "mob": (r"mobs?|lynch\w*|vigilante justice|vigilantism|jungle justice|mob justice|instant justice|"
            r"street justice|angry (?:\w+ )?(?:crowd|residents|villagers|youths?|locals|mob)|"
            r"irate (?:\w+ )?(?:crowd|residents|villagers|youths?|locals)|"
            r"(?:suspected|alleged) (?:\w+ )?(?:thie(?:f|ves)|robbers?|kidnappers?|witch\w*|"
            r"criminals?|rapists?|cattle rustlers?)|witchcraft|"
            r"(?:inter-?)?communal (?:clash|violence|fight)\w*|"
            r"(?:between|among) (?:two )?(?:rival )?(?:supporters|groups of|communities|villagers|"
            r"families|clans|tribes|residents|students|youths|party)|"
            r"supporters of (?:\w+ ){0,4}?(?:clashed|fought|attacked)|"
            r"(?:settlers|rioters|crowd|youths?) (?:\w+ )?(?:attacked|threw|hurled|pelted|"
            r"raided|stormed|clashed|beat|assaulted|set|torched)|"
            r"rioters|crowd|brawl\w*|fist ?fights?"),
    # --- battles ---------------------------------------------------------------------------
    "clash": (r"clash(?:ed|es|ing)?|came to blows|traded blows|exchang\w+ (?:of )?(?:heavy )?(?:fire|gunfire|shots|shelling)|"
              r"exchanged (?:\w+ )?fire|fire ?fights?|gun ?fights?|gun ?battles?|shoot-?outs?|"
              r"fighting|fought|fights? (?:broke|erupted)|battl(?:e|es|ed)|skirmish\w*|"
              r"armed (?:confrontation|encounter)s?|encounters?|engag(?:ed|ement)s? (?:with|in)|"
              r"shot back|returned fire|retaliated (?:by|with) (?:\w+ )?(?:fir|exchang|return|gun|shoot)\w*|"
              r"repel(?:led)?|repuls\w+|pushed back|sniper fire|small arms|"
              r"(?:heavy )?gunfire (?:erupted|broke out|between)|gunfire exchange|"
              r"(?:responded|reacted|retaliated) (?:\w+ ){0,2}?(?:with )?(?:gun)?fire|"
              r"followed by (?:an? )?(?:exchange of |small )?(?:gun)?fire"),
    # one-sided assaults on an armed target: battles too, unless a remote weapon did it
    "assault": (r"ambush\w*|counter-?attack\w*|offensive|"
              r"(?<!air )(?<!air-)(?<!tank )(?<!drone )(?:storm|attack|raid|assault)(?:ed|s|ing)? (?:on )?(?:\w+ ){0,3}?"
              r"(?:military|army|police) (?:position|post|base|checkpoint|camp|barracks|outpost|"
              r"station|garrison|convoy|patrol|headquarters|vehicle)s?|"
              r"(?<!air )(?<!air-)(?<!tank )(?<!drone )(?:storm|attack|raid|assault)(?:ed|s|ing)? (?:on )?(?:\w+ ){0,3}?"
              r"(?:positions|checkpoint|barracks|outpost|garrison|convoy|patrol)s?|"
              r"infiltration attempt|rpgs?|rocket-propelled grenades?"),
    "territory": (r"(?<!to )(?:took|taken|taking|seized|seizing|gained|gaining|established|"
                  r"establishing|regained|retook|retaken|restored|imposed|assumed|wrested) "
                  r"(?:\w+ ){0,2}?control|took over(?! (?:the )?(?:place|house|home|houses|leadership|"
                  r"management|office|post|role|case|investigation|building))|taken over|overt[oa]ok|"
                  r"(?:re)?captur(?:ed|ing) (?:\w+ ){0,4}?(?:town|village|city|area|district|"
                  r"hill|locality|settlement|outskirts|region|positions?|base|camp|territory|"
                  r"neighbou?rhood|province|county|airport|road|highway|bridge|crossing)|"
                  r"retook|recaptur\w+|liberat(?:ed|ing)|overr?an|seized (?:the )?(?:town|village|city)|"
                  r"regain(?:ed|ing)? (?:\w+ ){0,3}?(?:territory|town|village|city|area|positions?|"
                  r"control|ground)|(?:fell|falls) (?:to|into the hands)|in the hands of|"
                  r"(?:pushed|drove|driven|expelled|chased) (?:[\w-]+ ){0,3}?out of (?:the )?"
                  r"(?:\w+ )?(?:town|village|city|area|district|positions?|region|base|camp)|"
                  r"freed (?:\w+ ){0,2}?(?:villages?|towns?|areas?|city|district)|"
                  r"recovered (?:the )?(?:\w+ ){0,3}?(?:areas?|regions?|towns?|villages?|territor\w+)|"
                  r"(?:have|has) controlled (?:the )?(?:key |strategic )?(?:town|village|city|area)|"
                  r"entered [^.;]{0,60}?(?:without|not encounter)|withdr[ae]w\w* from|pulled out of|"
                  r"vacated|handed over (?:the )?(?:\w+ )?(?:town|city|village|area|control|base)"),
    "no_fight": (r"peaceful(?:ly)?|without (?:a |any )?(?:fight|fighting|clash\w*|confrontation|"
                 r"resistance|a shot|firing)|no (?:clash\w*|fighting|resistance|confrontation)|"
                 r"(?:after|following|as) (?:the )?(?:\w+ ){0,5}?(?:withdr[ae]w\w*|withdrawal|left|"
                 r"retreat\w*|abandoned|pulled out|evacuated|vacated)|withdr[ae]w\w* from|"
                 r"pulled out|handed over|handover|no information on whether fighting|"
                 r"not encounter\w* (?:any )?resistance|(?:clash\w*|fighting|confrontation|resistance) "
                 r"(?:was |were )?(?:not|never) (?:reported|recorded|mentioned)"),
    "gov_actor": (r"government|army|military|armed forces|national (?:guard|army|police|forces)|"
                  r"troops|soldiers|regime|state forces|security forces|defen[cs]e forces|"
                  r"police|gendarm\w*|paramilitary"),
    "nonstate_actor": (r"rebels?|militants?|insurgents?|jihadists?|militia\w*|separatists?|"
                       r"guerrillas?|armed groups?|extremists?|terrorists?|opposition|"
                       r"islamic state|isis|isil|daesh|al[- ]?shabaa?b|jnim|iswap|boko haram|"
                       r"m23|taliban"),
    # --- remote violence -------------------------------------------------------------------
    "suicide": (r"suicide (?:bomb\w*|attack\w*|vest|car|vehicle|truck|blast|explosion)|"
                r"suicided? bombers?|s-?v?bieds?|svbied|detonated (?:him|her|them)sel(?:f|ves)|"
                r"blew (?:him|her|them)sel(?:f|ves) up|self-?detonat\w+|explosive (?:vest|belt)s?|"
                r"bomber [^.;]{0,160}?(?:set(?:ting)? off|detonat\w+|trigger\w*) (?:his|her) "
                r"(?:explosives|vest|belt|device|charge)"),
    "chemical": (r"chemical (?:weapons?|attack|agents?|munitions?|gas)|chlorine|sarin|"
                 r"mustard gas|nerve agent|toxic gas|poison(?:ous)? gas|phosphorus"),
    "air": (r"air ?-?strikes?|air ?-?raids?|aerial (?:bombard\w+|attack\w*|strike\w*|bomb\w*)|"
            r"air attack\w*|drone (?:strike\w*|attack\w*)|drones?|uavs?|unmanned aerial|"
            r"war ?planes?|fighter (?:jets?|planes?|aircraft)|jets?|aircraft|helicopters?|"
            r"gunships?|bombers?|air force|airforce|bombed from the air|"
            r"barrel bombs?|(?:planes|aircraft|jets) (?:bombed|pounded|struck)"),
    "shell": (r"shell(?:ed|ing|ings|s)?|artillery|mortars?|missiles?|rockets?|howitzers?|"
              r"katyusha|grads?\b|mlrs|multiple (?:rocket|launch)\w*|rocket launchers?|"
              r"(?:heavy|long-range) weapons|bombard\w+|cannons?|tank (?:fire|shells?|rounds?)|"
              r"fired (?:\w+ ){0,2}?(?:shells?|projectiles|munitions)|projectiles?|"
              r"grenade launchers?|ballistic|cruise missiles?|"
              r"iskander|tochka|smerch|uragan|tornado-s|pounded|\d+ ?mm\b|\d+-mm"),
    "ied": (r"ieds?|improvised explosive|explosive devices?|landmines?|land mines?|"
            r"(?:anti-?(?:personnel|tank|vehicle) )?mines?\b|roadside bombs?|car bombs?|"
            r"vbieds?|vehicle-borne|booby-?trap\w*|sticky bombs?|magnetic bombs?|"
            r"homemade bombs?|home-?made bombs?|parcel bombs?|letter bombs?|pipe bombs?|"
            r"remote(?:ly)?[- ](?:controlled|detonated)|unexploded|remnants? of war|uxo|ordnance"),
    # something was hit or fired: a weapon named with none of these is not an attack
    "strike_act": (r"struck|strikes?|hit|hitting|target\w*|bomb(?:ed|ing|ings)|fired|firing|launched|"
                   r"dropped|pounded|shell(?:ed|ing)|destroy\w*|damag\w+|explo\w+|attack\w*|"
                   r"raids?|kill\w*|injur\w+|wound\w+|dead|casualt\w+|landed|fell|crashed into|"
                   r"went off|detonat\w+|blew up|blast\w*|shot|opened fire|rained|bombard\w+"),
    "blast": (r"bomb(?:s|ing|ings|ed)?|blasts?|explo(?:sion|sions|ded|des)|"
              r"detonat\w+|explosives?|dynamite"),
    "grenade": r"(?:hand[- ])?grenades?(?! launchers?)|grenade attack",
    "soft_grenade": r"(?:stun|sound|smoke|tear ?gas|flash|noise|gas) (?:-|bang )?grenades?|flash-?bangs?",
    # --- violence against civilians ---------------------------------------------------------
    "sexual": (r"rap(?:e|ed|es|ing|ist|ists)\b|gang-?rap\w*|sexual(?:ly)? (?:assault\w*|abuse\w*|"
               r"violence|harass\w*|exploit\w*|attack\w*|molest\w*)|sexually (?:assaulted|abused)|"
               r"molest\w+|defil(?:ed|ement)|sodomi[sz]\w+|forced (?:marriage|nudity|prostitution)"),
    "abduct": (r"abduct\w*|kidnap\w*|hostages?|taken captive|held captive|forcibly disappear\w*|"
               r"enforced disappearance|forced disappearance|disappeared|"
               r"whereabouts (?:remain\w*|are|is|were|was) (?:still )?unknown|took (?:\w+ ){0,3}?(?:to an unknown|in unknown)|"
               r"taken to (?:an )?unknown"),
    "kill": (r"kill(?:ed|ing|s)?|shot|shoot(?:ing|s)?|gunned down|stabb\w+|hacked|macheted|"
             r"behead\w+|decapitat\w+|slaughter\w*|massacr\w+|murder\w*|assassinat\w+|"
             r"execut(?:ed|ion|ions|ing)|burn(?:ed|t) (?:alive|to death)|buried alive|lynched|"
             r"tortur\w+|beat(?:en|ing)?|assault(?:ed|ing)?|attack(?:ed|ing|s)?|"
             r"opened fire|fired (?:\w+ ){0,3}?(?:at|on|upon|towards?|in the direction of|into)|"
             r"injur(?:ed|ing)|wound(?:ed|ing)|"
             r"bod(?:y|ies) (?:of (?:a|an|the|two|three|\d+|several|his|her) )?(?:\w+ )?(?:man|woman|"
             r"men|women|boy|girl|child|civilian|person|people|victim|farmer|\w+-year-old)|"
             r"bod(?:y|ies) (?:\w+ )?(?:was|were|found|bearing|showing|with)|found dead|"
             r"(?:dead|lifeless|decomposed|mutilated|burnt|charred) bod(?:y|ies)|corpses?|lynch\w*|"
             r"raid(?:ed)?|whipp\w+|flogg\w+|mutilat\w+|amputat\w+|stoned|punch\w*|"
             r"died (?:\w+ ){0,2}?(?:torture|custody)"),
    # --- strategic developments -----------------------------------------------------------
    "arrest": (r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|apprehend\w*|"
               r"took (?:\w+ ){0,3}?into custody|taken into custody|held (?:\d+ )?(?:\w+ )?migrants|"
               r"rounded up|captured (?:\w+ )?(?:a |an |one |two |three |\d+ )?(?:\w+ )?"
               r"(?:suspect|member|leader|commander|militant|rebel)s?|nabbed|"
               r"intercepted (?:\d+ )?migrants"),
    "agree_strong": (r"(?:agreed|signed|reached|concluded|brokered|announced|declared) (?:\w+ ){0,3}?"
                     r"(?:ceasefire|cease-fire|truce|agreement|deal|accord|peace|memorandum|pact)|"
                     r"(?:ceasefire|truce|agreement|deal|accord) (?:was |has been )?(?:agreed|signed|"
                     r"reached|announced|declared|took effect|came into)|"
                     r"exchanged (?:\w+ )?(?:prisoners|detainees|bodies|captives)|"
                     r"prisoner (?:exchange|swap)|surrendered|laid down (?:their )?(?:arms|weapons)|"
                     r"agreed to"),
    "breach": r"violat\w+|breach\w*|despite|broke (?:the|a)|in spite of",
    "agreement": (r"agreements?|agreed|ceasefire|cease-fire|truce|peace (?:deal|accord|talks?|"
                  r"process|pact|treaty|agreement)|accords?|signed|memorandum|reconciliation|"
                  r"surrender(?:ed|s|ing)?|laid down (?:their )?(?:arms|weapons)|"
                  r"handed (?:themselves|over their weapons)|turned themselves in|"
                  r"prisoner (?:exchange|swap)|exchange of (?:prisoners|bodies|detainees)|"
                  r"swap(?:ped)?|released (?:\w+ ){0,3}?(?:prisoners|detainees|hostages|captives)|"
                  r"repatriat\w+|negotiat\w+|dialogue|mediat\w+|amnesty"),
    "change_group": (r"recruit\w*|training|trained|drills?|exercises?|graduat\w+|"
                     r"deploy(?:ed|ment|ments|s)?|reinforcements?|redeploy\w*|mobili[sz]\w+|"
                     r"convoys?|movement of|moved (?:\w+ ){0,3}?(?:to|towards|into)|"
                     r"withdr[ae]w\w*|pulled out|arrived|entered|crossed the border|"
                     r"alliance|allied|merg\w+|joined|defect\w*|split|splinter|formed|formation|"
                     r"founded|launched (?:a |an )?(?:new )?(?:group|movement|party|militia)|"
                     r"new (?:armed )?(?:group|militia|faction)|rebrand\w*|"
                     r"state of emergency|curfew|martial law|lockdown|ban(?:ned|s)?|"
                     r"security (?:measures|operation|sweep|campaign)|sweep\w*|combing|"
                     r"search operation|cordon\w*|checkpoints? (?:were |was )?(?:set up|erected|established)|"
                     r"test-?fir\w+|missile test|weapons? test|launched (?:a )?(?:\w+ )?operation|"
                     r"appointed|dissolv\w+|disband\w+|declared|imposed|suspend\w+|"
                     r"patrols? (?:\w+ )?(?:took place|was conducted|were conducted|was observed)|"
                     r"conducted (?:a |joint )?patrols?|crossed (?:over )?(?:the )?(?:\w+ )?(?:river|border)|"
                     r"removed (?:\w+ ){0,2}?(?:checkpoints|barriers|roadblocks)"),
    "disrupted": (r"defus\w+|de-?activat\w+|dismantl\w+|neutrali[sz]ed (?:an? |the )?(?:\w+ )?"
                  r"(?:ied|bomb|explosive|device|mine)s?|disarm\w*|"
                  r"(?:seiz|confiscat|recover|found|discover|unearth|clear|remov|spott|locat)\w* "
                  r"(?:[\w-]+ ){0,8}?(?:weapons?|arms|ammunitions?|ammo|rifles?|guns?|firearms?|"
                  r"explosives?|ieds?|grenades?|bombs?|mines?|landmines?|cache|munitions?|pistols?|"
                  r"cartridges|rounds of|explosive devices?|improvised explosive)|"
                  r"(?:weapons?|arms|ammunitions?|ammo|firearms|explosives?|explosive devices?|ieds?|"
                  r"mines|bombs?|rifles|rounds|packages?|pistols|bullets|guns) (?:\w+ ){0,6}?(?:were|was|had been|"
                  r"have been|has been|is|are) (?:\w+ )?(?:seized|found|recovered|discovered|"
                  r"confiscated|defused|cleared|captured|intercepted|"
                  r"removed|dismantled|spotted|located|destroyed)|"
                  r"(?:weapons?|arms|ammunition) seizures?|destroyed (?:the |an? |\d+ )?(?:ieds?|"
                  r"landmines?|mines|explosive devices?|unexploded \w+|ordnance)|"
                  r"(?:intercept\w*|shot down|shoot down|downed|destroyed) (?:\w+ ){0,4}?(?:drones?|uavs?|"
                  r"missiles?|rockets?|projectiles?|shells?|weapons|arms|ammunition|explosives)|"
                  r"(?:drones?|uavs?|missiles?|rockets?|projectiles?) (?:\w+ ){0,3}?(?:were|was) "
                  r"(?:\w+ )?(?:intercepted|shot down|downed|destroyed in (?:the )?air)|"
                  r"air defen[cs]es?|anti-?aircraft|"
                  r"controlled (?:explosion|detonation)|bomb disposal|sappers?|demin\w+|"
                  r"foiled|thwarted|averted|(?:bomb|eod) squad|accidentally (?:\w+ )?(?:detonat|"
                  r"explod|activat)\w+|premature(?:ly)? (?:\w+ )?(?:detonat|explo)\w+"),
    "harm": (r"damag\w+|destroy\w*|killed|injur\w+|wounded|(?<!was )(?<!were )hit|struck|fell on|"
             r"landed on|casualties (?:were|among)"),
    "hq": (r"(?:established|set up|setting up|opened|built|establish\w*|erected) (?:\w+ ){0,4}?"
           r"(?:headquarters?|hq|bases?|camps?|outposts?|garrisons?|observation points?|"
           r"(?:military )?points?|barracks|positions?|office|posts?|checkpoints?|"
           r"military presence)|"
           r"(?:headquarters?|bases?|outposts?|observation points?|military points?|barracks|points?) "
           r"(?:was|were|has been|have been) (?:\w+ )?(?:established|set up|opened|built|erected)|"
           r"new (?:military )?base"),
    "looting": (r"loot(?:ed|ing|s)?|pillag\w+|plunder\w*|ransack\w*|stole|steal\w*|stolen|"
                r"rob(?:bed|bery|beries)?|confiscat\w+|seiz(?:ed|ing|ure) (?:\w+ ){0,4}?"
                r"(?:land|lands|propert\w+|houses?|homes?|cattle|livestock|goods|vehicles?|cars?|"
                r"farms?|shops?|money|cash|belongings|assets)|"
                r"(?:burn(?:ed|t)|torch(?:ed)?|set (?:\w+ ){0,3}?(?:ablaze|on fire|fire to)|"
                r"destroy(?:ed)?|demolish(?:ed)?|raz(?:ed|ing)|bulldoz\w+|vandali[sz]ed|"
                r"damag(?:ed|ing)) (?:\w+ ){0,4}?(?:houses?|homes?|shops?|propert\w+|buildings?|"
                r"vehicles?|cars?|crops|farms?|huts?|market|offices?|church\w*|mosques?|"
                r"schools?|village|structures?|tower|statue|monument|graves?|lands?|towers?)|"
                r"arson|property destruction|demolition|evict\w*|land grab\w*|vandali[sz]\w+|"
                r"set (?:\w+ ){0,4}?(?:on fire|ablaze|fire to|alight)|uproot\w*|"
                r"destroy\w* (?:\w+ ){0,4}?(?:shelters?|hideouts?|hide-outs?|bunkers?|tunnels?|"
                r"caves?|pumps?|wells?|fields|crops|plantations?|equipment|bridges?|towers?|"
                r"antennas?|machines|machinery)|demolish\w+|molotov\w*|petrol bombs?|firebomb\w*|"
                r"seiz(?:ed|ing) (?:\w+ ){0,4}?(?:trucks?|phones?|motorbikes?|motorcycles?|canoes?|"
                r"boats?|food|fuel|crops|harvest|animals|goats|cows|sheep|camels|money|cash|"
                r"belongings|carts?|tricycles?|bicycles?)|attack\w* on (?:\w+ ){0,2}?(?:propert\w+|shops|houses|buildings|"
                r"offices|vehicles|businesses|stores)|seiz(?:ed|ing) (?:\w+ ){0,5}?(?:clinic|laboratory|lab|shops?|houses?|"
                r"buildings?|offices?|factory|warehouse)"),
    "displacement": (r"refugees|displac\w+|fled|flee(?:ing)?|evacuat\w+|asylum seekers|idps|"
                     r"escaped|jail ?break|prison ?break|chased away|forced (?:\w+ )?to leave"),
    "other_sd": (r"displac\w+|fled|flee\w*|evacuat\w+|elections?|referendum|polls|voted|"
                 r"mass graves?|threats?|threatened|leaflets?|flyers?|graffiti|"
                 r"warn(?:ed|ing)|ultimatum|propaganda|harass\w*|intimidat\w+|extort\w*|"
                 r"(?:bomb|explosive) (?:threat|hoax)|hoax"),
    # --- modifiers --------------------------------------------------------------------------
    # accidents and disasters: deaths and explosions with no one who did them
    "accident": (r"earthquakes?|quakes?|floods?|flooding|flooded|tsunami|volcan\w+|eruptions?|landslides?|"
                 r"mudslides?|cyclones?|typhoons?|hurricane(?! (?:mlrs|rocket|launcher))|tornado(?!-s)|"
                 r"storms?(?! water| drains?)|torrential|heavy rains?|drought|wildfires?|bushfires?|"
                 r"forest fires?|fire broke out|caught fire|accident\w*|collaps\w+|leak\w*|boilers?|"
                 r"transformers?|gas (?:cylinders?|tanks?|pipelines?|explosions?|leaks?)|"
                 r"short circuit|derail\w*|(?:plane|helicopter|air) crash(?:ed|es)?|stampedes?|"
                 r"epidemic|pandemic|cholera|"
                 r"covid\w*|coronavirus|death toll from|natural disasters?|heatwave|avalanche|"
                 r"lightning|drown\w*|capsiz\w+|sank|shipwreck"),
    "intent": (r"attack\w*|attacker\w*|gunm[ae]n|militants?|rebels?|insurgents?|terrorists?|jihadists?|"
               r"soldiers|troops|police|army|military|forces|militia\w*|armed|shot|shooting|gunfire|"
               r"planted|targeted|targeting|ied|improvised|suicide|bomber|protest\w*|demonstrat\w*|"
               r"riot\w*|mob|clash\w*|sabotage\w*|arson\w*|deliberate\w*|claimed responsibility|"
               r"opened fire|fired|killed by|murder\w*|bod(?:y|ies)|abduct\w*|kidnap\w*|beat\w*|"
               r"stabb\w*|threw|arrest\w*|detain\w*|rescued|gunmen|assailants|loot\w*|rap(?:e|ed)|"
               r"measures|lockdown|curfew|state of emergency"),
    "future": (r"will|would|plans? to|planned|planning|intends? to|threatened to|vowed to|"
               r"(?:is|are|was|were) (?:expected|scheduled|set|due|going) to|could|might|"
               r"(?<!in )(?<!of )(?<!early )(?<!late )(?<!mid-)(?<!since )(?<!by )may(?!,| \d)|"
               r"if|announced (?:plans|that it will)|aim(?:ed|s|ing)? (?:at|to)|designed to|"
               r"intended|in order to|seek(?:s|ing)? to|goal|objective|preparing to|ready to"),
    "habitual": (r"persist\w*|periodic\w*|regularly|routinely|frequently|often|usually|typically|"
                 r"tends? to|capable of|capabilit\w+|continues? to (?:carry out|launch|conduct|stage)|"
                 r"(?:has|have|had) (?:long )?been (?:carrying out|launching|conducting|using)|technolog\w+|"
                 r"strateg\w+|in recent (?:years|months)|over the (?:last|past) (?:decade|years)"),
    "strength": (r"ha(?:s|ve|d) [\"'\u201c\u2018]?(?:between |about |some |around |up to |at least |nearly |an estimated )?"
                 r"[\d,.]+ (?:(?:to|and|-) ?[\d,.]+ )?(?:\w+ )?(?:fighters|members|troops|soldiers|"
                 r"militants|men|personnel)|(?:strength|estimated) (?:of|at) [\d,.]+"),
}

_NOTE_TAGS = {
    # ACLED notes sometimes open with the kind of strategic development ("Looting: On ...").
    "looting": "Looting/property destruction", "property destruction": "Looting/property destruction",
    "land seizure": "Looting/property destruction", "arson": "Looting/property destruction",
    "defusal": "Disrupted weapons use", "detonation": "Disrupted weapons use",
    "interception": "Disrupted weapons use", "weapons seizure": "Disrupted weapons use",
    "arms seizure": "Disrupted weapons use",
    "movement of forces": "Change to group/activity", "security measures": "Change to group/activity",
    "recruitment": "Change to group/activity", "change to armed group": "Change to group/activity",
    "change to group": "Change to group/activity", "headquarters": "Headquarters or base established",
    "base established": "Headquarters or base established",
    "displacement": "Other", "non-violent activity": "Other", "other": "Other", "training": "Other",
    "elections/referendum": "Other", "elections": "Other", "mass grave": "Other", "strikes": "Other",
    "explosive remnants of war": "Other", "agreement": "Agreement", "surrender": "Agreement",
    "ceasefire": "Agreement", "arrests": "Arrests", "arrest": "Arrests",
    "abduction": "Abduction/forced disappearance", "non-violent transfer of territory":
    "Non-violent transfer of territory",
}

_RX = {name: re.compile(r"(?<![\w-])(?:" + rx + r")(?![\w])" if name != "size_tag" else rx)
       for name, rx in _CUES.items()}
_ARMED_RX = re.compile(r"\b(?:" + _ARMED + r")\b")
_CIVIL_RX = re.compile(r"\b(?:" + _CIVIL + r")\b")
#: what a demonstration is about: words inside it ("against police violence", "demanding the
#: release of detained activists") tell the motive, not what happened at the demonstration.
_MOTIVE_RX = re.compile(
    r"\b(?:against|demand\w*|to protest|protest(?:ing|ed)? (?:against|over|the)|over (?:the|a|an|his|her|"
    r"their)|condemn\w*|denounc\w*|call(?:ing|ed)? for|in solidarity|in support|in memory|"
    r"commemorat\w*|to oppose|oppos(?:ing|ition)|accus\w+|release of|justice for|"
    r"(?:after|following) (?:the|a|an|his|her|their)|who (?:was|were|had|has)|sentenced|"
    r"alleged\w*|to mark|anniversary|fear\w*|to (?:denounce|demand|express|complain|call|ask|"
    r"request|reject|press|urge|support))\b")
_MOTIVE_END_RX = re.compile(
    r"(?<=[.!?;])\s|\b(?:in|at|on|during|with|as|while|amid|erupted|turned|spread|escalated|"
    r"broke out)\b|, (?:and |but |before |while |when |after which |as )?(?:the )?(?:police|security|"
    r"officers|soldiers|troops|authorities|protesters|demonstrators|participants|they|some|others|"
    r"rioters|residents)\b|\b(?:but|before|until) (?:the )?(?:police|security|officers|soldiers|"
    r"troops|authorities)\b")
_NOTE_TAG_RX = re.compile(r"^\s*([A-Za-z][A-Za-z /-]{2,40}):\s")
_PASSIVE_RX = re.compile(r"\b(?:was|were|been|being|got|is|are)\s+(?:\w+\s+)?$")
_BY_RX = re.compile(r"\bby\b")
_SENT_RX = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[])")
_WORD_RX = re.compile(r"[a-z]")


#: cue name -> the strings its matches start with (every cue but size_tag starts at a word start)
_RX_PREFIXES = {name: start_prefixes(rx.pattern) if name != "size_tag" else None for name, rx in _RX.items()}
_RX_INDEX = PrefixIndex(_RX_PREFIXES)


class _Hits(dict):
    """Cue name -> list of (start, end) matches, computed on first use (most texts need few).
    A cue whose words start none of the text's words is not searched (see ``prefilter``)."""

    __slots__ = ("low", "_possible")

    def __init__(self, low: str):
        super().__init__()
        self.low = low
        self._possible: set[str] | None = None

    def __missing__(self, name: str) -> list[tuple[int, int]]:
        if self._possible is None:      # the cues that may match, from one pass over the word starts
            self._possible = _RX_INDEX.possible(self.low)
        if name in self._possible:
            found = [m.span() for m in _RX[name].finditer(self.low)]
        else:
            found = []
        self[name] = found
        return found

    def get(self, name: str, default=None):  # type: ignore[override]
        return self[name] or default


_NEGATABLE = {"lethal_force", "lethal_weak"}
_NEGATED = re.compile(r"\b(?:no|not|without|zero|nobody|none)\b(?:\s+\w+){0,2}\s*$", re.I)


class _Cues:
    """All cue matches of one text, by name: lists of (start, end)."""

    __slots__ = ("text", "low", "hits", "_head_end", "_motive", "_hearsay")

    def __init__(self, text: str):
        self.text = text
        low = text.lower()
        if len(low) != len(text):  # a few letters grow when lower-cased; keep the offsets
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.low = low
        self.hits = _Hits(self.low)
        self._head_end: int | None = None
        self._motive: list[tuple[int, int]] | None = None
        self._hearsay: list[int] | None = None

    def hearsay_ends(self) -> list[int]:
        """Where each charge, accusation or trial cue ends (read once: two readings ask)."""
        if self._hearsay is None:
            self._hearsay = [h.end() for h in _HEARSAY_RX.finditer(self.low)]
        return self._hearsay

    @property
    def head_end(self) -> int:
        """Where the text's first sentence ends (found when first asked: few texts need it)."""
        if self._head_end is None:
            m = _SENT_RX.search(self.text)
            self._head_end = m.start() if m else len(self.text)
        return self._head_end

    def motives(self) -> list[tuple[int, int]]:
        """Stretches that tell what a demonstration was about."""
        if self._motive is None:
            self._motive = []
            pos = 0
            while True:
                m = _MOTIVE_RX.search(self.low, pos)
                if not m:
                    break
                end = _MOTIVE_END_RX.search(self.low, m.end())
                stop = min(end.start() if end else len(self.low), m.end() + 120)
                self._motive.append((m.start(), stop))
                pos = max(stop, m.end())
        return self._motive

    def first_real(self, name: str) -> tuple[int, int] | None:
        """The first match of a cue outside the motive of a demonstration."""
        spans = self.hits.get(name)
        if not spans:
            return None
        mot = self.motives()
        for s in spans:
            if any(a <= s[0] < b for a, b in mot):
                continue
            if name in _NEGATABLE and _NEGATED.search(self.text[max(0, s[0] - 22):s[0]]):
                continue          # "No one was killed", "there were no deaths"
            return s
        return None

    def has(self, name: str, head: bool = False) -> bool:
        spans = self.hits.get(name)
        if not spans:
            return False
        return not head or spans[0][0] < self.head_end

    def first(self, name: str) -> tuple[int, int] | None:
        spans = self.hits.get(name)
        return spans[0] if spans else None

    def word(self, span: tuple[int, int] | None) -> str:
        return self.text[span[0]:span[1]] if span else ""



@lru_cache(maxsize=1024)
def _cues_of(text: str) -> _Cues:
    """The cues of a text, kept: an incident's main clause is typed again once its actors are known
    (the cues are read-only once found). The events stage forgets them at each document."""
    return _Cues(text)


def forget_cues() -> None:
    """Drop the kept cues (so that the work on a document does not depend on the ones before)."""
    _cues_of.cache_clear()


def _guess(sub: str, cues: _Cues, span: tuple[int, int] | None, why: str, score: float,
           civilians: bool | None = None) -> TypeGuess:
    et = SUB_TO_TYPE[sub]
    if civilians is None:
        civilians = et == "Violence against civilians"
    return TypeGuess(et, sub, disorder_for(et, sub), "Civilian targeting" if civilians else None,
                     round(min(max(score, 0.0), 1.0), 3), span, why)


_CUT_RX = re.compile(r"[.;,(]|\b(?:while|after|when|during|in|at|near|on|inside|outside|from|"
                     r"with|who|which|as|because|for|over|and (?:then )?(?:killed|injured|abducted|"
                     r"looted|burned|set|stole))\b")
_UNHELD_RX = re.compile(r"\b(?:ahead of|before|prior to|in anticipation of|planned|planning|banned|"
                        r"ban(?:ned)? on|to prevent|to stop|called off|cancel\w*|plans? for|"
                        r"(?:will|would|to) (?:hold|stage|organi[sz]e|join))\s+(?:\w+\s+){0,2}$")
#: "fled after the attacks": a violent noun after these is the cause of the event told, not it
_CAUSE_RX = re.compile(r"\b(?:after|following|amid|due to|because of|fleeing|in response to|"
                       r"in retaliation for|since)\s+(?:the\s+|a\s+|an\s+|recent\s+|repeated\s+|"
                       r"these\s+|those\s+|\w+\s+){0,2}$")
_VIOLENT_NOUN_RX = re.compile(r"(?:attacks?|killings?|massacres?|shootings?|violence|raids?)\b")
_NEGATED_RX = re.compile(r"\b(?:no|without|not|any)\s+(?:\w+\s+)?$")
_NOT_REPORTED_RX = re.compile(r"\s+(?:were|was)\s+(?:not|never)\s")
_CLAUSE_START_RX = re.compile(r"[,;(]|\b(?:and|while|after|when|as)\b")
_LEAD_PREP_RX = re.compile(r"\s*(?:at|on|upon|towards?|into|against|in the direction of|"
                           r"(?:\w+ )?(?:times|shots|rounds|bullets) (?:at|on|into))\s+")
_NONSTATE_RX = re.compile(r"\b(?:" + _CUES["nonstate_actor"] + r")\b")
_GOV_RX = re.compile(r"\b(?:" + _CUES["gov_actor"] + r")\b")
_ACRONYM_RX = re.compile(r"\b[A-Z][A-Z-]{1,7}\b")


def _victims(cues: _Cues, span: tuple[int, int]) -> tuple[bool, bool]:
    """Who a violent verb hits: (armed target, civilian target), from the words around it.

    Active voice ("gunmen killed two farmers") reads the object after the verb, up to the first
    preposition; passive voice ("two soldiers were killed by ...") reads the subject before it.
    An unknown acronym as the object ("attacked the FARDC") reads as an armed organisation.
    """
    low, text = cues.low, cues.text
    start = max(0, low.rfind(".", 0, span[0]) + 1, low.rfind(";", 0, span[0]) + 1)
    before = low[start:span[0]]
    if _PASSIVE_RX.search(before[-30:]):
        victim = before[-70:]
        last = None
        for last in _CLAUSE_START_RX.finditer(victim):
            pass
        if last:
            victim = victim[last.end():]
        vt = text[span[0] - len(victim):span[0]]
    else:
        after_at = span[1]
        lead = _LEAD_PREP_RX.match(low, after_at)
        if lead:
            after_at = lead.end()
        after = low[after_at:after_at + 80]
        cut = _CUT_RX.search(after, 1)
        victim = after[:cut.start()] if cut else after
        by = _BY_RX.search(victim)
        if by:
            victim = victim[:by.start()]
        vt = text[after_at:after_at + len(victim)]
    am, cm = _ARMED_RX.search(victim) or _NONSTATE_RX.search(victim), _CIVIL_RX.search(victim)
    armed, civil = bool(am), bool(cm)
    if armed and civil:
        # "killed a soldier's wife" / "killed two policemen and a civilian": the first noun wins
        armed, civil = am.start() <= cm.start(), cm.start() < am.start()
    if not armed and not civil and _ACRONYM_RX.search(vt):
        armed = True
    return armed, civil


def _held(cues: _Cues, name: str) -> tuple[int, int] | None:
    """The first mention of a demonstration that took place (not one planned, banned or awaited)."""
    return next((p for p in cues.hits[name]
                 if not _UNHELD_RX.search(cues.low, max(0, p[0] - 40), p[0])), None)


def _demonstration(cues: _Cues, tagged: bool) -> TypeGuess | None:
    """Protests and riots: who turned violent, and how the demonstrators were handled."""
    protest = _held(cues, "protest_strong") or _held(cues, "protest")
    riot_act = cues.first_real("riot_act")
    riot_word = cues.first_real("riot_word")
    mob = cues.first("mob_strong") or cues.first("mob")
    violent = riot_act or riot_word or cues.first("kill") or cues.first("clash")
    # Mob violence: violent crowds with no demonstration aim.
    if mob and violent and not protest:
        return _guess("Mob violence", cues, mob, f"'{cues.word(mob)}' + '{cues.word(violent)}' "
                      "without a demonstration -> Mob violence", 0.7)
    if not protest:
        if tagged and violent:
            return _guess("Mob violence", cues, violent, f"'{cues.word(violent)}' by a crowd "
                          "without a demonstration -> Mob violence", 0.6)
        if riot_word and violent:
            return _guess("Mob violence", cues, riot_word, f"'{cues.word(riot_word)}' without "
                          "a demonstration -> Mob violence", 0.55)
        if not tagged:
            return None
        span = cues.first("size_tag")
        return _guess("Peaceful protest", cues, span, "demonstration size tag, no violence "
                      "-> Peaceful protest", 0.5)
    if riot_act or riot_word:
        span = riot_act or riot_word
        return _guess("Violent demonstration", cues, span, f"'{cues.word(protest)}' + "
                      f"'{cues.word(span)}' -> Violent demonstration", 0.75)
    inter = cues.first_real("intervene")
    lethal = cues.first_real("lethal_force") or (inter and cues.first_real("lethal_weak"))
    if lethal:
        return _guess("Excessive force against protesters", cues, lethal,
                      f"'{cues.word(protest)}' + '{cues.word(lethal)}' -> Excessive force", 0.65)
    if inter:
        return _guess("Protest with intervention", cues, inter, f"'{cues.word(protest)}' + "
                      f"'{cues.word(inter)}' -> Protest with intervention", 0.75)
    return _guess("Peaceful protest", cues, protest, f"'{cues.word(protest)}' -> Peaceful protest",
                  0.8)


def _territory(cues: _Cues) -> TypeGuess | None:
    terr = cues.first("territory")
    if not terr:
        return None
    if cues.has("no_fight"):
        nf = cues.first("no_fight")
        return _guess("Non-violent transfer of territory", cues, terr, f"'{cues.word(terr)}' + "
                      f"'{cues.word(nf)}' -> Non-violent transfer of territory", 0.6)
    word = cues.word(terr).lower()
    fought = any(cues.has(c) for c in ("clash", "assault", "shell", "air", "kill"))
    forced = re.search(r"captur|retook|liberat|overran|regain|freed|recover|seiz|wrest", word) or \
        re.search(r"\bby force\b|\bstorm", cues.low)
    if not fought and not forced:
        return _guess("Non-violent transfer of territory", cues, terr, f"'{cues.word(terr)}' with "
                      "no fighting told -> Non-violent transfer of territory", 0.45)
    # The subject is the first actor named in the sentence that tells the take-over.
    start = max(0, cues.low.rfind(". ", 0, terr[0]) + 1)
    subject = cues.low[start:terr[0]]
    word = cues.word(terr).lower()
    regains = re.search(r"re(?:took|gain|captur|tak|cover)|liberat|restor|freed", word)
    nonstate = _NONSTATE_RX.search(subject)
    gov = _GOV_RX.search(subject)
    if gov and nonstate:
        nonstate = nonstate if nonstate.start() < gov.start() else None
        gov = gov if nonstate is None else None
    if gov or (regains and not nonstate):
        return _guess("Government regains territory", cues, terr,
                      f"'{cues.word(terr)}' by state forces -> Government regains territory", 0.55)
    return _guess("Non-state actor overtakes territory", cues, terr,
                  f"'{cues.word(terr)}' by a non-state group -> Non-state actor overtakes territory",
                  0.55)


#: a suicide bomber's gear named as an object ("militants wearing explosive belts"), not the act
_SUICIDE_GEAR_RX = re.compile(r"(?:explosive|suicide) (?:vest|belt)s?")


def _suicide_aside(cues: _Cues) -> bool:
    """True when the only suicide cue is gear worn or found, in a text that tells a strike from
    the air or by artillery: "jets struck a hideout, killing militants wearing explosive belts"
    is an air strike."""
    hits = cues.hits.get("suicide") or []
    if not hits or not all(_SUICIDE_GEAR_RX.fullmatch(cues.low[a:b]) for a, b in hits):
        return False
    return cues.has("strike_act") and (cues.has("air") or cues.has("shell"))


def _remote(cues: _Cues) -> TypeGuess | None:
    """Explosions/Remote violence, by the weapon that was used (the most specific one)."""
    for name, sub, score in (("suicide", "Suicide bomb", 0.9), ("chemical", "Chemical weapon", 0.8),
                             ("air", "Air/drone strike", 0.75),
                             ("shell", "Shelling/artillery/missile attack", 0.75),
                             ("ied", "Remote explosive/landmine/IED", 0.75), ("grenade", "Grenade", 0.75),
                             ("blast", "Remote explosive/landmine/IED", 0.55)):
        s = cues.first(name)
        if s and name in ("air", "shell", "grenade") and not cues.has("strike_act"):
            continue
        if s and name == "suicide" and _suicide_aside(cues):
            continue
        if s and not (name == "grenade" and cues.has("soft_grenade")
                      and len(cues.hits["grenade"]) <= len(cues.hits["soft_grenade"])):
            civ = _victims(cues, s)[1] or (cues.has("kill") and any(
                _victims(cues, k)[1] for k in cues.hits["kill"][:3]))
            return _guess(sub, cues, s, f"'{cues.word(s)}' -> {sub}", score, civilians=civ)
    return None


_STRATEGIC = (("disrupted", "Disrupted weapons use", 0.7), ("agreement", "Agreement", 0.6),
              ("arrest", "Arrests", 0.7), ("hq", "Headquarters or base established", 0.6),
              ("looting", "Looting/property destruction", 0.65),
              ("displacement", "Other", 0.45), ("change_group", "Change to group/activity", 0.5),
              ("other_sd", "Other", 0.4))


def _strategic(cues: _Cues) -> TypeGuess | None:
    for name, sub, score in _STRATEGIC:
        s = cues.first(name)
        if s:
            if sub == "Arrests":
                subject = cues.low[max(0, s[0] - 120):s[0]]
                if _ORGANISED_RX.search(subject):
                    return _guess("Abduction/forced disappearance", cues, s, f"'{cues.word(s)}' "
                                  "by a non-state group -> Abduction/forced disappearance", 0.6)
            return _guess(sub, cues, s, f"'{cues.word(s)}' -> {sub}", score)
    return None


_CROWD_RX = re.compile(
    r"\b(?:villagers|residents|locals|youths?|supporters|students|communit(?:y|ies)(?: members)?|"
    r"famil(?:y|ies)|settlers|rioters|mobs?|crowds?|neighbou?rs|"
    r"group of (?:\w+ ){0,2}?(?:people|men|residents|villagers|youths|individuals|locals|"
    r"neighbou?rs|persons|women|workers|students|riders|drivers|traders)|groups of|"
    r"party (?:members|workers|activists|cadres|supporters)|activists|workers|"
    r"relatives|inmates|prisoners|fans|merchants|traders|vendors|riders|lawyers|"
    r"worshipp?ers|passengers|citizens|protesters|demonstrators)\b")
_ORGANISED_RX = re.compile(r"\b(?:" + _CUES["nonstate_actor"] + r"|gunmen|gunman|armed (?:men|group|"
                           r"individuals|assailants|elements|youths?|herders|villagers|civilians|vigilantes)|gangs?|gang members|fighters|"
                           r"assailants|hitm[ae]n|cartel|bandits?|pirates)\b")


def _crowd_only(cues: _Cues, span: tuple[int, int]) -> bool:
    """True when a clash is fought by unorganised crowds (villagers, supporters, students),
    among themselves or against police and soldiers, with no organised armed group involved."""
    start = max(0, cues.low.rfind(".", 0, span[0]) + 1)
    end = cues.low.find(".", span[1])
    clause = cues.low[start:end if end > 0 else len(cues.low)]
    if re.search(r"\barmed (?:clash|confrontation)|exchang\w+ (?:of )?(?:\w+ )?fire|shoot-?out|"
                 r"gun ?(?:fight|battle)|fire ?fight|rifles?|guns?\b|rockets?|mortars?", clause):
        return False
    return bool(_CROWD_RX.search(clause)) and not _ORGANISED_RX.search(clause)


def _crowd_attacker(cues: _Cues, span: tuple[int, int]) -> bool:
    """True when the one who does the violence told at ``span`` is a crowd, not an armed group."""
    low = cues.low
    start = max(0, low.rfind(".", 0, span[0]) + 1)
    before = low[start:span[0]]
    if _PASSIVE_RX.search(before[-30:]):
        after = low[span[1]:span[1] + 90]
        by = _BY_RX.search(after)
        actor = after[by.end():] if by else ""
        if re.match(r"\s*(?:\w+ )?(?:people|men|persons|youths|locals)\b", actor):
            return True
    else:
        actor = before
    return bool(_CROWD_RX.search(actor)) and not _ORGANISED_RX.search(actor) and not _GOV_RX.search(actor)


def _decide(cues: _Cues) -> TypeGuess | None:
    text = cues.text
    # 0. Accidents and disasters (an earthquake "killed eight", a gas tank "exploded") are no
    #    political event unless someone did them on purpose.
    if cues.has("accident") and not any(cues.has(c) for c in ("intent", "protest", "size_tag")):
        return None
    # 1. ACLED's note tag names the strategic development outright.
    m = _NOTE_TAG_RX.match(text)
    if m and m.group(1).strip().lower() in _NOTE_TAGS:
        sub = _NOTE_TAGS[m.group(1).strip().lower()]
        return _guess(sub, cues, m.span(1), f"note tag '{m.group(1)}' -> {sub}", 0.95)
    tagged = cues.has("size_tag")
    # 2. Demonstrations: ACLED's [size=...] tail, a protest told in the opening sentence (not
    #    one that is only planned or banned), or a mob.
    held = _held(cues, "protest_strong")
    if tagged or (held and held[0] < cues.head_end) or cues.has("mob_strong", head=True):
        g = _demonstration(cues, tagged)
        if g:
            return g
    # 3. Weapons found, defused, seized or intercepted before they did harm.
    # An attack partly intercepted that still did harm is the attack.
    d = cues.first("disrupted")
    harm = any(not any(a <= h[0] < b for a, b in cues.hits["disrupted"])
               and not _NEGATED_RX.search(cues.low, max(0, h[0] - 12), h[0]) for h in cues.hits["harm"]) \
        and any(cues.has(c) for c in ("air", "shell", "ied", "blast", "grenade"))
    if d and not (cues.has("clash") or cues.has("suicide") or harm) and not any(
            _victims(cues, k)[1] or _victims(cues, k)[0] for k in cues.hits.get("kill", ())[:3]
            if not cues.word(k).lower().startswith(("shot", "shoot"))):
        return _guess("Disrupted weapons use", cues, d, f"'{cues.word(d)}' -> Disrupted weapons use", 0.7)
    # 4. Suicide bombs and chemical weapons are named outright.
    for name in ("suicide", "chemical"):
        if cues.has(name) and not (name == "suicide" and _suicide_aside(cues)):
            return _remote(cues)
    # 5. Territory taken in fighting: the battle is the event, whatever else happened.
    t = _territory(cues)
    if t is not None and t.event_type == "Battles":
        return t
    # 6. Sexual violence names the harm done.
    if cues.has("sexual"):
        s = cues.first("sexual")
        return _guess("Sexual violence", cues, s, f"'{cues.word(s)}' -> Sexual violence", 0.85)
    # 7. Agreements (ceasefires, deals, prisoner exchanges, surrenders), unless one is broken.
    a = cues.first("agree_strong")
    if a and not cues.has("breach"):
        return _guess("Agreement", cues, a, f"'{cues.word(a)}' -> Agreement", 0.7)
    # 8. Territory changing hands without fighting.
    if t:
        return t
    # 9. Two sides fighting is a battle, whatever the weapons (a clash with mortars too), unless
    #    the sides are crowds.
    clash = next((c for c in cues.hits.get("clash", []) if not _NEGATED_RX.search(
        cues.low, max(0, c[0] - 12), c[0]) and not _NOT_REPORTED_RX.match(cues.low, c[1])), None)
    assault = cues.first("assault")
    if assault and not clash and not any(cues.has(w) for w in ("air", "shell", "ied", "grenade")):
        clash = assault
    if clash:
        if _crowd_only(cues, clash):
            return _guess("Mob violence", cues, clash, f"'{cues.word(clash)}' between crowds "
                          "-> Mob violence", 0.55)
        return _guess("Armed clash", cues, clash, f"'{cues.word(clash)}' -> Armed clash", 0.7)
    # 10. One-sided violence by a weapon that takes away the target's ability to respond.
    r = _remote(cues)
    if r:
        return r
    # 11. One-sided violence: an armed target makes it a battle, an unarmed one an attack; an
    #    abduction with no other harm is an abduction.
    # violence named in a charge or an inquiry ("arrested in connection with the killing of")
    # is not the event told
    hearsay = cues.hearsay_ends()
    kills = [k for k in cues.hits.get("kill", []) if not any(0 <= k[0] - h < 40 for h in hearsay)
             and not (_CAUSE_RX.search(cues.low, max(0, k[0] - 40), k[0])
                      and _VIOLENT_NOUN_RX.match(cues.low, k[0]))]
    abduct = cues.first("abduct")
    if kills and _crowd_attacker(cues, kills[0]):
        k = kills[0]
        return _guess("Mob violence", cues, k, f"'{cues.word(k)}' by a crowd -> Mob violence", 0.55)
    if kills:
        property_only = all(cues.word(s).lower().startswith(("attack", "raid", "assault"))
                            and not any(_victims(cues, s)) for s in kills)
        if property_only and cues.has("looting"):
            lo = cues.first("looting")
            return _guess("Looting/property destruction", cues, lo, f"'{cues.word(lo)}' with no "
                          "one hurt -> Looting/property destruction", 0.55)
        for s in kills:
            armed, civil = _victims(cues, s)
            if armed:
                return _guess("Armed clash", cues, s, f"'{cues.word(s)}' against an armed target "
                              "-> Armed clash", 0.55)
            if civil:
                break
        k = kills[0]
        weak = all(cues.word(s).lower().startswith(("attack", "raid", "assault", "punch", "beat",
                                                    "injur", "wound"))
                   for s in kills)
        if not (abduct and weak):
            return _guess("Attack", cues, k, f"'{cues.word(k)}' against civilians -> Attack", 0.6)
    if abduct:
        return _guess("Abduction/forced disappearance", cues, abduct,
                      f"'{cues.word(abduct)}' -> Abduction/forced disappearance", 0.75)
    # 12. Demonstrations told later in the text, riots and mobs.
    g = _demonstration(cues, tagged)
    if g:
        return g
    # 13. Strategic developments.
    return _strategic(cues) or _last_resort(cues)


#: reports whose violence is told without the usual verbs: what monitors observed, bodies found,
#: stones thrown, people taken away. Tried only when no other rule fired.
_LAST_RESORT = (
    ("Shelling/artillery/missile attack", re.compile(
        r"\b(?:observed|recorded|heard|registered|counted)\b[^.;]{0,60}?\b(?:explosions?|projectiles?|"
        r"impacts?|shells?|rockets?|mortar rounds?)\b"), 0.45),
    ("Armed clash", re.compile(
        r"\b(?:observed|recorded|heard|registered|counted)\b[^.;]{0,60}?\b(?:shots|bursts of (?:heavy )?"
        r"(?:machine-?gun )?fire|exchanges? of fire|gunfire)\b"), 0.4),
    ("Attack", re.compile(
        r"\b(?:bod(?:y|ies)|corpses?|remains)\b[^.;]{0,80}?\b(?:found|discovered|recovered|dumped)\b|"
        r"\bfound (?:dead|murdered|killed|shot|strangled|beheaded)\b"), 0.45),
    ("Mob violence", re.compile(
        r"\b(?:hurled|pelted|threw|throwing|hurling|pelting)\b[^.;]{0,30}?\b(?:stones|rocks|molotov|"
        r"petrol bombs|bricks)\b"), 0.4),
    ("Abduction/forced disappearance", re.compile(
        r"\b(?:forcibly )?(?:deported|took away|taken away|forcibly transferred|disappeared)\b"), 0.4),
)


def _last_resort(cues: _Cues) -> TypeGuess | None:
    for sub, rx, score in _LAST_RESORT:
        m = rx.search(cues.low)
        if m:
            return _guess(sub, cues, m.span(), f"'{m.group(0)[:40]}' -> {sub} (a last-resort rule)", score)
    return None


_ARMED_TYPES = frozenset({"State forces", "Rebel group", "Political militia", "Identity militia",
                          "External/Other forces"})


def _with_actors(g: TypeGuess, actor_types: tuple[str | None, str | None]) -> TypeGuess:
    """Refine a guess with the ACLED types of the actors the actors stage found (optional).

    Only the decisions that hang on who the actors are change: an arrest by a non-state armed
    group is an abduction; one-sided violence is an attack when the target is civilians and a
    battle when it is armed (unless the text says it was a clash).
    """
    t1, t2 = (tuple(actor_types) + (None, None))[:2]
    sub = g.sub_event_type
    new = None
    if sub == "Arrests" and t1 in _ARMED_TYPES and t1 != "State forces":
        new = "Abduction/forced disappearance"
    elif sub == "Attack" and t1 in _ARMED_TYPES and t2 in _ARMED_TYPES:
        new = "Armed clash"
    elif sub == "Armed clash" and "against an armed target" in g.why and t2 == "Civilians":
        new = "Attack"
    if new is None:
        return g
    et = SUB_TO_TYPE[new]
    return TypeGuess(et, new, disorder_for(et, new),
                     "Civilian targeting" if et == "Violence against civilians" else None,
                     g.score, g.trigger, f"{g.why}; actors {t1} / {t2} -> {new}")


def classify(text: str, actor_types: tuple[str | None, str | None] | None = None) -> TypeGuess | None:
    """The ACLED event type and sub-event type of the event told by a short text.

    ``actor_types``, optional, are the ACLED types (``inter1``, ``inter2``) of the event's two
    actors when the actors stage knows them; they settle arrest vs abduction and attack vs
    armed clash. Returns None when the text holds no event trigger at all.
    """
    if not text or not _WORD_RX.search(text.lower()):
        return None
    g = _decide(_cues_of(text))
    if g is not None and actor_types:
        g = _with_actors(g, actor_types)
    return g


_TITLE_WORD_RX = re.compile(r"[A-Za-z][\w'\u2019-]*")
_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to with vs via".split())
_BARE_YEAR_RX = re.compile(r"\b(?:in|since|by|of) (?:the )?(?:early |late |mid-)?(?:19|20)\d(?:\d\b(?!-)|0s)")
_MARKUP_RX = re.compile(r"^\s*(?:[*=#\[\u2022|>]|-\s)")
#: a violent word inside these tells a charge, a claim or an inquiry, not a new event
_HEARSAY_RX = re.compile(r"\b(?:charges? of|charged with|accused of|convicted of|on trial|trial (?:for|over)|"
                         r"suspected of|responsib\w+ for|claimed (?:responsibility )?for|in connection with|"
                         r"sentenced|investigat\w+ (?:into|of)|inquiry into)\b")
_DAY_RX = re.compile(r"\b(?:\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                     r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}\b|"
                     r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                     r"last (?:night|week))")
_OPINION_RX = re.compile(r"\b(?:insists?|believes?|argues?|thinks?|opinion|analysts?|experts? (?:say|said)|"
                         r"according to (?:analysts|experts)|could|should|would)\b")


def _headline(sent: str) -> bool:
    """A title-cased line ("Drone Swarms and Non-State Warfare") is a heading, not a report."""
    if sent.rstrip().endswith((".", "!", "?", "\"", "\u201d")):
        return False
    words = _TITLE_WORD_RX.findall(sent)
    if len(words) < 4:
        return True
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(big) and sum(w[0].isupper() for w in big) / len(big) >= 0.75


def _habitual_clause(cues: _Cues, g: TypeGuess) -> bool:
    """Does the habit ("the group persists in carrying out raids") tell the event word itself?
    A habit told in an aside ("Abdi, who often clashed with the government, died when a suicide
    bomber set off his explosives") leaves the main clause an event."""
    hits = cues.hits.get("habitual") or []
    if not hits:
        return False
    if g.trigger is None:
        return True
    t0 = g.trigger[0]
    for a, b in hits:
        between = cues.low[min(b, t0):max(a, t0)]
        if not re.search(r"[,;(]", between):
            return True
    return False


def classify_sentences(sentences: list[str]) -> list[TypeGuess | None]:
    """One guess per sentence; None where a sentence tells no new event.

    Sentences that only state plans, threats to act, hypotheticals, habits ("the group persists
    in carrying out raids"), a group's strength ("IS has between 3,000 and 5,000 fighters"), or
    that are headings, get None. Opinions keep their guess with a lower score.
    """
    out: list[TypeGuess | None] = []
    for sent in sentences:
        g = None
        if sent and _WORD_RX.search(sent.lower()) and not _headline(sent) and not _MARKUP_RX.match(sent):
            cues = _cues_of(sent)
            g = _decide(cues)
            if g is not None and (cues.has("strength") or _habitual_clause(cues, g)):
                g = None
            elif g is not None and g.trigger is not None and any(
                    0 <= g.trigger[0] - h < 40 for h in cues.hearsay_ends()):
                g = None
            elif g is not None and g.trigger is not None and cues.has("future"):
                if any(f[0] < g.trigger[0] and g.trigger[0] - f[1] < 60 for f in cues.hits["future"]):
                    g = None
            if g is not None and (g.sub_event_type in ("Other", "Change to group/activity")
                                  or _OPINION_RX.search(cues.low)):
                g.score = round(min(g.score, 0.35 if _OPINION_RX.search(cues.low) is None else 0.3), 3)
            if g is not None and _BARE_YEAR_RX.search(cues.low) and not _DAY_RX.search(cues.low):
                g.score = round(min(g.score, 0.3), 3)
                g.why += " (dated by a bare year: maybe background)"
        out.append(g)
    return out


# -- reports not in English ----------------------------------------------------------------------
#: a small cue list per language: enough to say what kind of event a Spanish, French or Portuguese
#: report tells, not to read it as an English one is read (no clauses, roles or tolls)
_FOREIGN_CUES = {
    "es": {
        "accident": r"accidente\w*|choque|volc[oó]",
        "protest": r"marchas?|manifestaci[oó]n(?:es)?|manifestantes|protestas?|protestaron|huelga|plant[oó]n",
        "riot": r"piedras|pedradas|barricadas?|saqueos?|disturbios|destrozos|encapuchados|molotov|incendiaron",
        "intervene": r"lacrim[oó]genos?|dispersar\w*|antidisturbios|detenid[oa]s|reprimi\w+",
        "battle": r"enfrentamientos?|combates?|balaceras?|tiroteos?",
        "explosion": r"explosi[oó]n|explosivos?|coche bomba|bombardeos?|misiles?",
        "attack": r"asesinad[oa]s?|asesinatos?|masacres?|ejecutad[oa]s?|acribillad[oa]s?|matar[oó]n|mataron",
        "abduction": r"secuestr\w+|desaparecid[oa]s",
    },
    "fr": {
        "accident": r"accidents?|collision",
        "protest": r"manifestations?|manifestants|marches?|rassemblements?|grèves?|protestations?",
        "riot": r"pierres|barricades?|pillages?|émeutes?|émeutiers|casseurs|cocktails? molotov|incendié",
        "intervene": r"lacrymogènes?|dispers\w+|interpellé\w*|arrêté\w*",
        "battle": r"affrontements?|combats?|accrochages?",
        "explosion": r"explosions?|explosifs?|engins? explosifs?|bombardements?|frappes? (?:aériennes?|de drones?)|"
                     r"missiles?|obus",
        "attack": r"tué(?:e|s|es)?|massacres?|assassin\w+|exécuté\w*",
        "abduction": r"enlev\w+|kidnapp\w+|otages?",
    },
    "pt": {
        "accident": r"acidentes?|colis[aã]o|capotou",
        "protest": r"manifestaç(?:ão|ões)|manifestantes|protestos?|passeatas?|greves?",
        "riot": r"pedras|barricadas?|saques?|tumultos?|depredaç\w+|coquetéis molotov|incendiaram",
        "intervene": r"lacrimogêneo\w*|dispers\w+|detid[oa]s|presos",
        "battle": r"confrontos?|combates?|tiroteios?",
        "explosion": r"explos(?:ão|ões)|explosivos?|bombardeios?|mísseis|míssil",
        "attack": r"assassinad[oa]s?|assassinatos?|massacres?|executad[oa]s?|mortos a tiros|chacinas?",
        "abduction": r"sequestr\w+|raptad[oa]s?",
    },
}
_FOREIGN_RX = {lang: {k: re.compile(r"(?<!\w)(?:" + v + r")(?!\w)", re.I) for k, v in cues.items()}
               for lang, cues in _FOREIGN_CUES.items()}
_LANGUAGE_NAMES = {"es": "Spanish", "fr": "French", "pt": "Portuguese"}
FOREIGN_LANGUAGES = frozenset(_FOREIGN_CUES)


def classify_foreign(text: str, language: str) -> TypeGuess | None:
    """What kind of event a report in Spanish, French or Portuguese tells, from a small cue list
    read over its opening (headline and lede): a demonstration with stones or barricades is a
    violent one, with tear gas an intervened one; then a clash, a blast, an abduction, a killing.
    Low confidence, and it says why: such a report is not read clause by clause."""
    rx = _FOREIGN_RX.get(language)
    if rx is None:
        return None
    hits = {k: r.search(text) for k, r in rx.items()}
    name = _LANGUAGE_NAMES[language]

    def guess(sub: str, *keys: str) -> TypeGuess:
        words = " + ".join(f"'{hits[k].group(0)}'" for k in keys)
        et = SUB_TO_TYPE[sub]
        return TypeGuess(et, sub, disorder_for(et, sub), None, 0.3, hits[keys[0]].span(),
                         f"{name} report: {words} -> {sub} (a small {name} cue list; the report is not "
                         f"read clause by clause)")

    if hits["accident"] and not (hits["protest"] or hits["battle"]):
        return None         # a road accident, a collision: no one acting on purpose
    if hits["protest"] and hits["riot"]:
        return guess("Violent demonstration", "protest", "riot")
    if hits["protest"] and hits["intervene"]:
        return guess("Protest with intervention", "protest", "intervene")
    if hits["protest"]:
        return guess("Peaceful protest", "protest")
    for key, sub in (("battle", "Armed clash"), ("explosion", "Remote explosive/landmine/IED"),
                     ("abduction", "Abduction/forced disappearance"), ("attack", "Attack")):
        if hits[key]:
            return guess(_FOREIGN_BLAST.get(_blast_kind(hits[key].group(0)), sub) if key == "explosion" else sub, key)
    return None


_FOREIGN_BLAST = {"air": "Air/drone strike", "shell": "Shelling/artillery/missile attack"}


def _blast_kind(word: str) -> str | None:
    """"frappes aériennes", "drones": from the air; "obus", "misiles": shelling; else a bomb."""
    low = word.lower()
    if re.search(r"a[ée]r|dron", low):
        return "air"
    if re.search(r"obus|mis+il|m[ií]s+il", low):
        return "shell"
    return None

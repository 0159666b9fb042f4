"""Word lists and patterns behind triage: the default keyword lists and the lexicons that
tell questions, complaints, praise, sarcasm, trolls and spam apart.

Pure data: precompiled regexes over lowercased text (URLs and mentions removed), kept apart
from the rules in ``triage.py`` that combine them. English first, with common Spanish,
French, German, Portuguese and Japanese forms.
"""

from __future__ import annotations

import re

from bot.domain.triage_regex import factor

DEFAULT_URGENT = (
    "refund", "cancel", "broken", "outage", "hacked", "lawyer", "scam", "fraud", "stolen",
    "stole", "injured", "injury", "unsafe", "chargeback", "phishing", "lawsuit", "sue",
    "emergency", "reembolso", "remboursement", "erstattung", "estafa", "arnaque", "betrug",
)
DEFAULT_SPAM = (
    "follow back", "followback", "f4f", "follow for follow", "like for like", "l4l",
    "follow train", "airdrop", "giveaway", "crypto", "bitcoin", "btc", "eth", "usdt", "nft",
    "forex", "binance", "dm for promo", "dm us for", "link in bio", "check my profile",
    "hot singles", "passive income", "work from home", "more followers", "cheap followers",
    "grow your account", "seo services", "boost your brand", "referral code",
    "recovery expert", "join telegram", "verify your account", "click here",
    "you have been selected", "claim your", "claim here", "claim at", "free tickets",
    "to the moon", "whitelist", "free followers", "made me rich", "trading bot", "in my bio",
    "mixtape", "verified accounts", "retweet to win", "recovers stolen", "recover your", "sexy",
    "guest post", "appeal here",
)

def lex(bounded: str, anywhere: str = "") -> re.Pattern[str]:
    """Compile a lexicon for lowercased text: ``bounded`` alternatives must start at a word
    boundary (one shared ``\b`` keeps the scan fast); ``anywhere`` ones (CJK, emoji) need not."""
    bounded = factor(bounded) if bounded else ""
    return re.compile("|".join(p for p in (rf"\b(?:{bounded})" if bounded else "", anywhere) if p))


URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@])@\w{1,30}")
LEADING = re.compile(r"^\W*(?:(?:hi|hey|hello|yo|dear|ok|so|thanks|thank you)\W+)?"
                      r"((?:@\w+[^\w@]*)+)", re.IGNORECASE)
HASHTAG = re.compile(r"(?<!\w)#\w+")
SPACES = re.compile(r"\s+")
WORD = re.compile(r"[^\W\d_]{2,}")
FLOOD = re.compile(r"([^\W\d_]|[^\w\s!?.,;:'\"()¿¡？！。、-])\1{3,}")
LOLFLOOD = re.compile(r"(\w{2,4}?)\1{4,}")
QMARK = re.compile(r"[?？¿]")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SCAM_HANDLE = re.compile(r"@\w*(?:hack|recover|retriev|restor|cyberfix)\w*", re.IGNORECASE)
SPAM_EXTRA = lex(
    r"contact (?:them|him|her)\b|signals\b|earn \$?\d|\d[\d,]*k? (?:real |new )?followers\b"
    r"|\d+% (?:weekly|daily|accuracy)|\d+x guaranteed|make money\b|blue (?:tick|check)s?\b"
    r"|get verified\b",
    r"\$[a-z]{2,6}\b(?!\d)|\$\d[\d,]*\s*(?:/|per |a |in one )(?:day|week)|\$\d[\d,]* into \$",
)
# Text in another language: VADER is English-only, so its score is not used.
FOREIGN = lex(
    r"(?:und|für|nicht|ist|ich|mit|der|das|den|dem|ein|eine|keine|seit|mein|meine|wurde|sind|auf"
    r"|les|sur|tout|pour|avec|pas|une|du|au|je|vous|tr[eè]s|por|para|una|pero|llev[oa]|não|você"
    r"|j'ai|c'est|n'est|qu'il|qu'on|d'un|d'une"
    r"|vocês|muito|uma|meu|minha|está|até)\b",
    r"[\u3040-\u30ff\u4e00-\u9fffáíóúñçãõäöüßèêàâîôûëœ]",
)
FIRST_PERSON = lex(
    r"(?:i|i'm|i've|i'd|me|my|we|we've|our|us)\b",
)
# "what a day" exclaims: "what" opens a question only when no "a"/"an" follows.
OPENER = re.compile(
    r"(?:^|[.!?;:]\s|\b(?:hi|hey|hello|yo|hola|bonjour|salut|hallo|olá|ola|oi)\b\W*\s)\s*"
    r"(?:how (?:do|does|did|can|could|should|would|long|much|many|soon|often|early|to|is|are"
    r" (?:my|the|refunds|bags))|what(?:'s|s)?(?! an? )|when|where(?:'s|s)?|why|who|which"
    r"|can(?!['’]t)|could|would|will|is|are|do(?:es)?(?! a | an | it | this | that | better| not)"
    r"|did|should|may|has|have|any|c[oó]mo|qu[ée]|cu[áa](?:ndo|l|nto)|d[óo]nde|por qu[ée]|tienen"
    r"|puedo|pueden|hay|aceptan|se puede|comment|combien|pourquoi|quand|o[ùu]|est-ce que"
    r"|est-il|quel(?:le)?s?|pouvez|puis-je|avez|wie|warum|wann|wo|was|welche[rs]?|kann"
    r"|k[öo]nnen|gibt es|habt|haben sie|quando|onde|porque|qual|voc[êe]s|posso|t[êe]m)\b"
    r"|\bwhat (?:should|can|do|does|now)\b|ですか|ますか|でしょうか|どこ|どう|いつ|なぜ|教えて"
    r"|ませんか|[ぁ-ん]か[？?。]?$"
)
REQUEST = lex(
    r"any (?:update|news|info|word|chance)\b|(?<!the )(?<!your )(?<!n't )(?<!not )(?<!will )"
    r"(?<!would )(?<!might )(?<!to )(?:help|hilfe|ayuda|aide|ajuda)\b(?! but\b)"
    r"|(?:dm|message|contact|call|email) (?:me|us)\b|get in touch\b|(?:please|pls|plz),? (?:dm"
    r"|advise|check|help|reply|respond|look)\b|(?:pls|plz) dm\b|(?:can|could) (?:someone|anyone|you"
    r"|u)\b|need (?:a hand|help|to (?:change|cancel|speak|know|talk|move))\b|i'?d like to (?:know"
    r"|request|ask|change|cancel)\b|looking (?:for|to)\b|trying to\b|is it possible\b|my options\b"
    r"|anyone (?:there|from|around)\b|sent you a dm\b|(?:quick )?question (?:for|about)\b"
    r"|just (?:to confirm|checking)\b|allowed\b|who do i\b"
    r"|need (?:your |some |urgent )?(?:assistance|support)\b|need your help\b"
    r"|(?:would|'d) like (?:some |your )?(?:assistance|support)\b|please process\b"
    r"|(?:i|we) (?:have|got) (?:a|one|two|some|a few|a couple of) (?:quick )?(?:questions?|queries"
    r"|query)\b|(?:ay[uú]d(?:ar|en|ame|enme)|aidez|helfen)\b|(?:it|this|that|there|you"
    r"|your \w+) (?:really |seriously |desperately |badly )?needs? (?:to|\w+ing)\b",
)
# An opener that starts a statement, not a question, when no question mark follows: "when
# you ..." (a scene), "is going to ..." (the account as subject), "should be ...".
STATEMENT_OPENER = re.compile(
    r"(?:[.!?;:]\s|(?:hi|hey|hello|yo)\b\W*\s)?\s*(?:when (?:you|u)(?:'re| are)? (?!(?:gonna"
    r"|going|finally|ever)\b)|(?:is|are|was|were|do|does|did|should|has|have|can|could|would"
    r"|will|may)(?! (?:i|you|u|we|they|it|there|this|that|these|those|my|our|the|your|he|she"
    r"|anyone|someone|somebody|a|an|any|y'?all|me|us|not)\b))\b"
)
AUDIENCE = lex(
    r"anyone else\b|who else\b|change my mind\b|yes or no\b|agree or disagree\b|hot or not\b",
)
ISSUE = lex(
    r"still (?:waiting|no|not|says|haven'?t|hasn'?t|nothing)\b|never (?:arrived|came|showed"
    r"|received|booked|got|told|again)\b|delay(?:ed|s)?\b|late\b|(?:charged|billed) (?:twice|me|but"
    r"|three times)\b|(?:double|over)[ -]?(?:charg|bill)|no (?:response|answer|reply|update|info"
    r"|call ?back|refund|explanation|resolution)\b|(?:nobody|no one|no-one) (?:(?:has|had|have"
    r"|ever|even|will|would|could|can|seems to|is|was) )?(?:answer|respond|repl|call|ring|help"
    r"|came|come|show|turn|pick|got back|get back|gets back|contact|email|there|at (?:the|your)"
    r"|from|know|seem|bother|tells? (?:us|me) (?:anything|what|why|when))|hung up\b"
    r"|on hold\b|lost (?:my |our |the )?\w+|losing\b|lose\b|cancell?ed\b|damaged\b|broken\b"
    r"|missing\b|wrong\b(?! (?:account|person|handle))|out of order\b|stranded\b"
    r"|not (?:what i ordered|ok|okay|good enough|acceptable|working|happy|impressed)\b|(?:doesn'?t"
    r"|does not|won'?t|didn'?t|don'?t|can'?t|cannot|isn'?t|wasn'?t|haven'?t) (?:work|load|open|log"
    r"|check|get|find|apply|arrive|print|come|show|answer|exist|access|exchange)|stopped working\b"
    r"|crash|error|fail(?:ed|ing|s)?\b|refused\b|stuck\b|bumped\b|overbooked\b|oversold\b|snapped\b"
    r"|shrank\b|fell apart\b|in pieces\b|disappeared\b|keeps\b|freezes\b|locked\b|disconnect"
    r"|wasn'?t honou?red\b|waiting\b|made me sick\b|poisoning\b|mou?ld\b|soaked\b|missed\b"
    r"|miss my\b|nothing (?:was |has )?(?:delivered|arrived|received)\b|hacked\b|stole|stolen\b"
    r"|scam|fraud|drained\b|phishing|fake\b|down again\b|outage\b|speak to a manager\b"
    r"|my complaint\b|(?:find|found|look(?:ing)? for|get(?:ting)?|try(?:ing)?) (?:a |an )?(?:new"
    r"|another|different|other) (?:brand|provider|carrier|company|airline|bank|network|insurer)\b"
    r"|(?:leaving|dropping|ditching|done with|cancel(?:l?ing)? my \w+ with) (?:you|u)\b"
    r"|never (?:again|buy(?:ing)?|order(?:ing)?|shop(?:ping)?|fly(?:ing)?|use|using|recommend\w*"
    r"|com(?:e|ing) back)\b|(?:won'?t|will not|wont) (?:be )?(?:buy|order|fly|use|shop|com"
    r"|recommend|renew)\w* (?:back|again|anymore|with you|from you)\b|last time i (?:buy|order"
    r"|fly|use|shop)\w*|lost (?:a|another) customer\b|take my (?:business|money) elsewhere\b"
    r"|(?:it|this|that|they|mine|which) (?:broke|died|stopped)\b"
    r"|f(?:ou|i)nd (?:a |an |some )?\w+ in (?:my|our|the)\b|(?:piece of |bits? of |a |an )"
    r"(?:plastic|glass|metal|hair|bug|insect|worm|bone|stone|wire|string) in (?:my|our|the|your"
    r"|\w+ of (?:my|the|your))\b"
    r"|(?:prices?|rates?|fees?|fares?|bills?) (?:went|go(?:ne)?|going|keeps? going) up\b"
    r"|(?:bump|jack|hike|put)(?:s|ed|ing)? (?:up )?(?:the |your |my |our )?(?:prices?|rates?"
    r"|fees?|fares?|bills?)(?: up)?\b|\d+ ?% (?:price |rate )?(?:increase|hike|rise)\b"
    r"|(?:sent|emailed|called|rang|messaged|contacted|tweeted|dm'?d) (?:you |them |\w+ )?"
    r"(?:multiple|several|many|numerous|countless|\d+|three|four|five|six) (?:times|emails"
    r"|messages|dms)\b"
    r"|(?:i'?ll|i will|gonna|going to|time to) (?:just )?stop (?:eating|shopping|buying|using"
    r"|flying|ordering|going)\b"
    r"|in a row\b|promised\b|it'?s been \d+ (?:days|weeks|hours)|too (?:small|big"
    r"|late)\b|quality control\b|yelled\b|aggressive\b|unprofessional\b|laughed at\b|tear\b|torn\b"
    r"|ripped\b|faulty\b|defective\b|unusable\b|bent\b|retras|nunca lleg|todav[ií]a\b|a[uú]n no\b"
    r"|esperando\b|nadie\b|sin (?:respuesta|informaci[oó]n)\b|rot[oa]\b|dañad|perd(?:u|ue|ido|ida|í"
    r"|i|eram|emos)\b|cancelad|annul|jamais arriv|toujours pas\b|retard\b|personne ne\b|d[ée]chir"
    r"|attente\b|cass[ée]|endommag|injoignable\b|sans r[ée]ponse\b|pas de r[ée]ponse\b|versp[äa]t"
    r"|verloren\b|warte|immer noch\b|schon wieder\b|keine antwort\b|reagiert nicht\b|niemand\b"
    r"|kaputt|besch[äa]digt|storniert|keiner\b|ningu[ée]m\b|atras|nunca chegou\b|err?ad[oa]\b"
    r"|perderam\b|quebrad|danificad|sem resposta\b|at[ée] agora\b|nenhuma\b|ainda n[ãa]o\b",
    r"遅延|遅れ|届きません|間に合いません|紛失|届かない|まだ|壊れ|破損|ません(?!か)|ない[。！!]?$"
    r"|#\w*(?:fail|sucks|worst|neveragain|nothappy|notimpressed|unhappy|disappoint|frustrat"
    r"|annoy|ripoff|badservice|poorservice|notcool|fml)",
)
JUDGE = lex(
    r"worst\b|terrible\b|awful\b|horrible\b|useless\b|ridiculous\b|unacceptable\b|disappoint"
    r"|appalling\b|unbelievable\b|unreal\b|rude\b|gross\b|shameful\b|absurd|poor (?:quality"
    r"|service)\b|beyond a joke\b|(?:so )?done with\b|fix your\b|p[ée]ssim[oa]\b|honteu"
    r"|lamentable\b|d[ée]çu|inadmissible\b|scandal|schlechteste|unm[öo]glich\b|unfassbar\b"
    r"|entt[äa]usch|unversch[äa]mt|frechheit\b|vergonzoso\b|vergonha\b|horr[ií]vel\b|decepcionad"
    r"|pathetic\b|you (?:really )?(?:need|have) to (?:train|fix|sort|do)\b|do better\b"
    r"|how (?:is|'?s) (?:that|this|it) (?:fair|ok|okay|acceptable|right|legal|allowed)\b"
    r"|how (?:does|did|could|can|do) (?:this|that|something like this) (?:even )?happen\b"
    r"|what are (?:you|u|y'?all) playing at\b|shocking\b|outrageous\b|inedible\b"
    r"|soggy\b|stale\b|undercooked\b|chewy\b|tasteless\b|burnt\b"
    r"|why (?:do|did|would) (?:they|you|u) (?:even )?bother\b|chalky\b|dissatisf"
    r"|(?:almost|nearly) (?:died|die|killed|crashed|choked)\b"
    r"|(?:very|so|really|extremely) (?:unhappy|annoyed|frustrated|upset|angry)\b"
    r"|(?:don'?t|do not) (?:\w+ )?believe (?:that|this|you)\b"
    r"|are (?:you|u|y'?all) (?:serious|kidding|joking|out of)\b"
    r"|what'?s (?:going on|happening|up) with (?:the|your|my|this|our)\b"
    r"|let(?:s|ting)? (?:me|us|(?:yet )?another customer) down\b|(?:feel|felt|feeling|so|very"
    r"|really|totally|been|being|again) let down\b|let down (?:again|by)\b",
    r"最悪|ひどい|残念|😡|🤬|😤|^\W*really\W*\?",
)
SARCASM = lex(
    r"thanks?(?: you)?(?: so much| a lot)? for (?:nothing|leaving|losing|ignoring|cancell?ing"
    r"|wasting|ruining|stranding|delaying)\b|love (?:waiting|sitting|being stuck|how)\b"
    r"|love that for me\b|really appreciated\W*$|nice (?:job|work|one),? \w+ing\b|so much for\b"
    r"|(?:oh|just|how|so) (?:great|wonderful|lovely|perfect|fantastic|brilliant)\b"
    r"|great,? another\b|impressive\W*$|as usual\b|(?:incredible|amazing|funny) how\b"
    r"|just what i (?:needed|wanted)\b"
    r"|thanks?(?: you)?(?: so much| a lot)? for the (?:\d+[- ]?\w+ )?(?:wait|delay|runaround"
    r"|headache|hassle)|when (?:it|they|you) (?:actually|finally|even) (?:works?|opens?|loads?"
    r"|arrives?|shows? up|answers?|respond\w*|turn up|deliver\w*)\b",
    r"^\W*(?:great|wonderful|perfect|fantastic|cool|lovely|brilliant|awesome|wow|excellent|superb"
    r"|terrific|nice)\W+\s*(?:another|again|my|'|the|\d)|🙃|🙄",
)
TROLL = lex(
    r"trash\b|garbage\b|rubbish\b|ratio\b"
    r"|stfu\b|nobody (?:asked|cares)\b|clowns?\b|mid\b(?!-)|fell off\b|boring\b"
    r"|should resign\b|sucks?\b|change my mind\b|cringe\b|lmao\b|go away\b|corny\b|ur mom\b",
    r"🤡",
)
PRAISE = lex(
    r"thanks?\b|thank you\b|cheers\b|appreciat|shout ?out\b|props\b|kudos\b|bravo\b|well done\b"
    r"|nailed it\b|you (?:guys )?rock\b|10/10\b|the best\b|impressed\b|loving\b|top marks\b"
    r"|excellent\b|incredible\b|impeccable\b|superb\b|outstanding\b|made my day\b|happy with\b"
    r"|legends?\b|absolute star\b|so kind\b|customer for life\b|gracias\b|excelente\b|genial\b"
    r"|merci\b|parfait\b|danke?\b|super\b|toll\b|klasse\b|obrigad[oa]\b|adorei\b|parab[ée]ns\b"
    r"|[óo]timo\b|meilleur\b|goat\b|(?:i|we|really|so|just) love (?:you|u|ya|it|this|my|our|the)\b",
    r"ありがとう|素晴らしい|最高|助かりました|❤|🙏|🙌|😍|👏",
)
RESOLVED = lex(
    r"(?<!n't )(?<!not )(?<!be )fixed\b|sorted\b|solved\b|came through\b|got (?:the|my) refund\b"
    r"|arrived (?:this|early|today|already)\b|all good\b|no complaints\b|never had an issue\b"
    r"|r[ée]gl[ée]\b|geklappt\b|resolv(?:ed|ido|ida|eram)\b",
    r"解決",
)
CHITCHAT = re.compile(
    r"^\W*(?:(?:happy|merry|frohe|feliz|joyeux|joyeuses|bonne|buon)\b.*|(?:sorry,? )?wrong"
    r" (?:account|person|handle)\b.*|(?:good )?(?:morning|night|evening)|first|gm|hi+|hello"
    r"|hey|lol|nice|ok(?:ay)?|cool|hmm+)\W*$"
)


HELP_WORD = re.compile(r"help|hilfe|ayuda|aide|ajuda")
SUFFIX = r"(?:s|es|d|ed|ing|led|ling|lation|lations|ment|ments|med|ming|mer|mers|er|ers)?(?!\w)"

# Things customers of a brand talk about: orders, accounts, devices, trips, bills, staff.
# Posts to people rarely use them; posts to a care account mostly do.
SERVICE = lex(
    r"(?:orders?|ordered|deliver\w*|packages?|parcels?|shipp\w*|shipment|tracking|refunds?"
    r"|account|apps?|website|site|online|internet|broadband|wi-?fi|service|support|help ?desk"
    r"|agents?|flights?|trains?|plane|gate|boarding|tarmac|airport|luggage|bags?|baggage|seats?"
    r"|booking|booked|reservation|tickets?|driver|rides?|trip|bill|billed|billing|charged?"
    r"|charges|payment|paid|pay|price|prices|fee|fees|card|store|shop|branch|products?|items?"
    r"|update[ds]?|updating|version|ios|android|phones?|iphones?|laptop|battery|screen|log ?in"
    r"|password|e-?mail|dms?|subscription|plan|network|signal|4g|lte|data|speed|outage|power"
    r"|engineers?|technician|warranty|stock|sizes?|sizing|replacement|replace|exchange|returns?"
    r"|receipt|coupon|discount|points|rewards|membership|contract|upgrade|device|router|modem"
    r"|tv|cable|stream\w*|download\w*|install\w*|connect\w*|servers?|bug|glitch\w*|crash\w*"
    r"|error|issues?|problems?|managers?|staff|employees?|cashier|restaurant|meal|food|burrito"
    r"|bowl|pizza|sandwich|drink|coffee|cup|room|hotel|car|vehicle|dealer\w*|recall\w*|claim"
    r"|insurance|policy|bank|transfer|transaction|complaint|case number|reference|customers?"
    r"|call(?:ed|ing)?|on hold|chat|repl(?:y|ied)|respon\w*|quality|printer|printing|driver"
    r"|games?|console|email|tweet|ticket|helpline|hotline|line|queue|branch|platform|station"
    r"|bus|taxi|cab|parts?|label|jersey|jeans|shirt|shoes|fit|fits|menu|drive[- ]?thru|promo"
    r"|codes?|loyalty|lounge|terminal|carry-?on|gift ?(?:box|card)\w*|hiring|jobs?|rules"
    r"|open(?:ing)? hours|wifi|cabin|check-?in|upgrade|voucher|sale|sales"
    r"|ship|shipping|warranty|wrapped|pickup|collect\w*|locker|courier|invoice|bag|size"
    r"|available|availability|restock|in stock|out of stock|discount|price match|pre-?order"
    r"|release|launch|edition|model|headphones?|earphones?|earbuds?|speakers?|monitor"
    r"|buttons?|option|options|feature|features|settings?|certificate|domain"
    r"|instances?|programming|channels?|episodes?|beer|cans|bottles?|glass"
    r"|oil|engine|bluetooth|radio|cashback|sauce|locations?|samples?|dress\w*|gear|toilet"
    r"|camera|system|software|firmware|wireless|charg\w*|cord|cable|printer|scan\w*|ink"
    r"|review|reviews|rating|listing|digest|subscri\w*|membership|renew\w*|security"
    r"|verification|sim card|timeline|journey|route|schedule|platform|seat"
    r"|delay\w*|fare|fares|flyer|jackets?|coats?|hoodies?|sweaters?|boots|trainers|sneakers"
    r"|clothes|clothing|apparel|compatib\w*|catalog(?:ue)?s?|postpaid|prepaid|gasoline"
    r"|fuel|offers?|offline|storage|backups?|tariffs?|mobiles?|vouchers|discounts)\b",
)
# Trouble without the complaint lexicon's exact phrases: negations, repeats, waits, money.
PROBLEM = lex(
    r"(?:not|(?<!yes or )no|never|nothing|none|nobody|can'?t|cannot|couldn'?t|won'?t"
    r"|wouldn'?t|doesn'?t|don'?t|didn'?t|isn'?t|aren'?t|wasn'?t|weren'?t|haven'?t|hasn'?t|hadn'?t|shouldn'?t"
    r"|unable|still|anymore|any more|(?<!no )issues?|(?<!no )problems?|bug|glitch\w*|down|slow\w*"
    r"|suppos\w*|should (?:have|be|not)|why|wtf|smh|ffs|seriously|joke|fix|shame|annoy\w*"
    r"|frustrat\w*|hate|suck\w*|bad|poor|shocking|nasty|disgust\w*|dirty|cold|stale|rude"
    r"|charg\w*|overcharg\w*|price increase|increase|hike|rip ?off|ripoff|waste\w*|wait\w*"
    r"|twice|multiple|every time|each time"
    r"|let (?:me|us) down|sick|upset|angry|mad|furious|fed up|tired of|enough|complain\w*"
    r"|struggl\w*|trouble|difficult|impossible|forced|lost|gone|missing|empty"
    r"|half|cut off|off again|went out|goes out|go out|dead|died|worse|worst|awful|terrible"
    r"|horrible|help|assist|ASAP|urgent\w*|unhappy|dissatisf\w*|sad|:\(|shady|scratchy|unsafe"
    r"|dangerous|smell\w*|stinks?|stunk|zero|incomplete|wrong|expired|declined|blocked"
    r"|suspend\w*|banned|limit\w*|keeps?|kept|stuck|errors?|fails?|failed|failing|stopp\w*"
    r"|never received|without|lack\w*|hidden|overpr\w*|expensive|mess\w*|disappoint\w*)\b",
    r":\(|😡|🤬|😤|😠|😒|😞|😢|😭|🙄|🤦",
)
# Something that does not work as it should, said without the lexicons' complaint words:
# a negated "works / loads / arrives / hear ...", "was working", a count or a duration of
# the trouble, a wrong size. Counted as trouble in posts addressed to the brand.
BROKEN = lex(
    r"(?:(?:not|no|nothing|never|barely|hardly|stopped|(?:ca|wo|do|does|did|is|was|are|were"
    r"|have|has|had)n'?t|cannot|unable to)\W+(?:\w+\W+){0,2}?(?:work|works|working|worked|load"
    r"|loads|loading|open|opens|play|plays|playing|connect\w*|hear|see|get|gets|getting"
    r"|receiv\w*|heard|show|shows|showing|respond\w*|sync\w*|charg\w*|turn on|print\w*"
    r"|arriv\w*|deliver\w*|send|sending|sent|log in|sign in|download\w*|updat\w*|install\w*"
    r"|accept\w*)|(?:was|were|been) (?:working|fine|ok|okay)\b(?! now)|could work"
    r"|(?:since|for|over) (?:last|the (?:last|past)|past) (?:\d+ )?(?:night|week|month|hours?"
    r"|days?|weeks?|months?|mins?|minutes?)|\d+ ?(?:min|mins|minutes|hrs?|hours|days|weeks"
    r"|months|times)\b|too (?:large|small|slim|tight|loose|short|long|slow|big"
    r"|expensive|hot|cold)|(?:takes?|taking|took) (?:so|too|very) long|takes? forever|incomplete"
    r"|(?:drains?|draining|dies|dying|goes|go) (?:so |really |too |very )?(?:fast|quick\w*)"
    r"|unexpected|let(?:ting)? (?:me|us) down)\b",
)
# Talk about other people: third persons, public figures, laughing along.
OTHER_PEOPLE = lex(
    r"(?:he|she|him|her|his|hers|he's|she's|people|guy|dude|bro|bruh|girl|babe|lol|lmao|lmfao"
    r"|haha\w*|omg|president|trump|obama|senator|congress|gop|democrats?|republicans?)\b",
)
# Weaker signs of trouble: counted only when the post does not read positive.
DELAY = lex(
    r"(?:again|yet|took|taking|hours?|days?|weeks?|months?|minutes?|mins?|instead|only|half"
    r"|since|until|till|supposed|\d+ ?(?:hrs?|days?|weeks?|mins?))\b",
)
# Speaking to someone: "you", "your", "y'all".
YOU = lex(r"(?:you|your|yours|u|ur|y'?all|you guys)\b")
# Asking without a question mark or a listed opener.
ASK = lex(
    r"(?:do you know|can (?:you|u|i|we|someone)|could (?:you|u|i|we|someone)|will (?:you|i|it)"
    r"|would you|when (?:will|is|are|do|does|can|should)|is there|are there|is it|are you"
    r"|how (?:do|can|long|much|many|come)|what (?:is|are|do|does|about|happened)|let (?:me|us)"
    r" know|wonder(?:ed|ing)? (?:why|if|whether|how|what)"
    r"|please (?:advise|help|check|fix|assist|look|reply|respond|dm|send|give|take|explain"
    r"|confirm|update|call|contact|restock|sort|get|tell|let)|kindly|pls|plz|need (?:to|a|an|help"
    r"|some|my)|i want|we want|i'?d like|give me|send me|where (?:is|are|do|can)|who (?:do|can"
    r"|is)|any (?:idea|ideas|way|news|eta)|wondering|explain)\b",
)
# Asking the brand itself to act or answer.
PLEA = lex(
    r"(?:give me|send me|let (?:me|us) know|please|pls|plz|kindly|can (?:you|u)|could (?:you|u)"
    r"|will you|would you|are you (?:going|ever|able)|when (?:will|is|are)|questions?"
    r"|(?:how|where|what|when|why) (?:do|can|should|did) (?:i|we)|(?:can|could|may|do|should"
    r"|am) (?:i|we))\b",
)
# Insults at the brand: a complaint with nothing concrete, still for a human to see.
INSULT = lex(r"(?:sucks?|suck\w*|hate you|worst|trash|garbage|crap|rubbish)\b")
# The brand credited, not addressed: "via @brand", "by @brand", "-@brand" at the end.
CREDIT = re.compile(r"(?:\bvia|\bby|\bon|[-–—])\W{0,2}@\w+\W*(?:https?://\S+\W*)*$",
                    re.IGNORECASE)
# A remark on the brand's advertising, not on what it sells: "just saw your ad on tv".
ADVERT = lex(
    r"(?:ads?|adverts?|advertising|commercials?|billboards?|campaign|jingle|mascot|sponsorship)\b",
)
# Laughing along: a jibe, not a complaint.
LAUGH = lex(r"(?:lol|lmao|rofl|haha\w*|jk)\b", r"😂|🤣|🤡")
# Praise in words the trouble lexicons would misread: "can't wait for the sale", "you never
# disappoint", "obsessed with", "went above and beyond". Counted as praise.
WARM = lex(
    r"(?:can'?t|cannot) wait (?:for (?:the |my |our |your )?(?:next|new|summer|winter|spring"
    r"|autumn|fall|holiday\w*|weekend|sale|launch|release|drop|season)|to (?:try|visit|get my"
    r" hands|wear|taste|fly with|go back))\b|(?:can'?t|cannot) wait\W*$"
    r"|never (?:disappoints?|fails?|misses?|lets? (?:me|us) down)\b|couldn'?t be happier\b"
    r"|(?:can'?t|couldn'?t) (?:fault|beat) (?:it|this|you|them)\b|can'?t get enough\b"
    r"|can'?t recommend (?:you|it|them|this|\w+) (?:enough|highly enough)\b|obsessed with\b"
    r"|above and beyond\b|(?:is|pure|absolute|stroke of) genius\b|hats off\b"
    r"|deserves? a (?:raise|medal|promotion)\b"
    r"|(?:fastest|quickest|smoothest|easiest) \w+(?: \w+)? ever\b|second to none\b"
    r"|game ?changer\b|life ?saver\b|top[- ]notch\b|spot on\b|blown away\b|chef'?s kiss\b"
    r"|(?:5|five) stars?\b|never had a bad\b|not bad at all\b|slaps\b|hits different\b"
    r"|goated\b|no notes\b|unmatched\b|bussin\b|set(?:s|ting)? the bar\b|a real one\b"
    r"|(?:stress|hassle|worry)[- ]free\b",
)
# Phrases that only look like trouble: "no joke", "never thought I'd say", "you're not
# wrong", "stuck in my head", "20 min early". Blanked out, with the warm ones, before the
# trouble lexicons look.
HARMLESS = lex(
    r"no joke\b|not gonna lie\b|not going to lie\b|ngl\b|no cap\b|no worries\b|no doubt\b"
    r"|never thought i'?d say (?:this|it|that)\b|(?:you'?re|you are|ur) not wrong\b"
    r"|stuck in my head\b"
    r"|\d+ ?(?:min|mins|minutes|hours?|hrs?|days?) (?:early|ahead of (?:time|schedule))\b",
)
# Speed: "came in 2 days", "within 10 minutes". In praise a duration is how fast, not how long.
SPEED = lex(r"(?:in|within|under|in (?:just|only|under)) \d+ ?(?:min|mins|minutes|hrs?|hours"
            r"|days)\b")
# Things no brand sells, with their own trouble: landlords, neighbours, referees, one's team,
# a haircut, lost house keys, a party, a joke, someone's take or idea. Negative words about
# them are not a complaint to the brand.
ELSEWHERE = lex(
    r"(?:landlord|neighbou?rs?|roommate|flatmate|referee|the ref|my team lost|striker|goalie"
    r"|offside|halftime|half-time|(?:that|what a) goal|haircut|barber|hairdresser|lost my keys"
    r"|house keys|the party|joke of the day|knock,? knock|dad joke|riddle|your take|hot take"
    r"|unpopular opinion|(?:terrible|bad|stupid|dumb|awful) idea(?! to))\b",
)
# Sharing a moment with the brand: plans, a view, a meal, something new ("on my way to the
# airport", "grabbing a coffee", "new phone day!"). Nothing to act on when nothing else is said.
MOMENT = lex(
    r"on my way\b|see (?:you|u|y'?all) (?:soon|there|tomorrow|next|later)\b"
    r"|i'?ll be (?:at|there)\b|heading (?:to|out|home)\b|grabbing (?:a|my|some)\b"
    r"|(?:my )?view from\b|new \w+ day\b|lunch break\b|my first \w+ (?:was|is)\b",
)
# The author's own things: "my order", "our flight".
POSSESSIVE = lex(r"(?:my|our|mine)\b")
# Politics: elections, lawmakers, bills and parties. No brand's care desk answers for them.
POLITICS = lex(
    r"(?:senators?|senate|congress\w*|gop|democrats?|republicans?|dems|potus|president"
    r"|white house|tax (?:bill|scam|plan|reform|cuts?)|taxscam\w*|amnesty|elections?"
    r"|impeach\w*|constituents?|legislat\w*|governor|partisan|liberals?|conservatives?|maga"
    r"|gun control|immigration|daca|politic\w*|voters?|ballots?)\b",
)
# A handle that names itself a care account: "AcmeHelp", "acme_support", "AcmeCares", "AskAcme".
SUPPORT_HANDLE = re.compile(r"(?:help|helps|helpers|support|care|cares|service|svc|assist)"
                            r"(?:_?(?:uk|us|ie|ca|au|in))?$|^ask")

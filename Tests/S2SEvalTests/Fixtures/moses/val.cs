Skupina mužů nakládá bavlnu na náklaďák.
Muž spí na gauči v zeleném pokoji.
Chlapec má na sobě sluchátka a sedí ženě na ramenou.
Dva muži rozdělávají modrý rybářský stan na zamrzlém jezeře.
Plešatící muž má na sobě červenou záchrannou vestu a sedí na malé loďce.
Dáma v červeném kabátě drží modravou kabelku pravděpodobně z Asie a skáče do vzduchu kvůli snímku.
Hnědý pes běží za černým psem.
Malý chlapec v dresu Giants odpaluje baseballovou pálkou příchozí míč.
Muž telefonuje v přeplněné kanceláři.
Usmívající se žena v broskvové topu drží horské kolo.
Malé dítě stojí samo na rozeklané skále.
Osoba na sněžném skútru uprostřed skoku.
Tři malé děti stojí okolo bílomodrého sudu.
Žena sedí u vystavených sušených květin na venkovním trhu.
Žena hraje píseň na housle.
Tři lidé jedou na dvou terénních motorkách a jedné čtyřkolce v suché trávě.
Polonahý muž spí venku na židli.
Skupina lidí na parkovišti stojí před chatrčí.
Mladá žena vyrábí koberečky v deštném pralese.
Tři holky se ksichtí a jedna pije, když stojí na rušné ulici.
Muž v černém tričku stojí nad davem v rušném baru.
Žena a muž jsou přes dřevěný provazový most, který má vedle sebe výstražnou ceduli.
Muž v sukni skáče a do toho žongluje s noži.
Asiatka v zeleném klobouku a zástěře servíruje nápoje na tácu.
Dělníci stojí na nějakém stroji.
Dva psi s oranžovou hračkou ve vysoké trávě.
Roztomilé mimino se směje na další dítě.
Tři muži jdou po silnici v horách.
Člověk parasailuje na velkou vodní plochou.
Bagr jede hlínou při stavbě opěrné zdi.
Holčička běhá v parku.
Člověk přechází silnici a vyhýbá se vylité barvě.
Dítě si hraje na hřišti, visí z tyčí.
Člověk má na sobě červené tričko s dlouhým rukávem, leží na zdi před lampou velmi neobvyklým způsobem.
Skupina lidí se shromáždila okolo muže v obleku a malého kluka.
Žena sedí v tmavém baru.
Lidé jdou po chodníku a prochází venkovním trhem.
Muž s modrým batohem si čte noviny, když čeká na metro.
Velký hnědý pes strká čumák před rozstřikovač.
Blonďatý chlapec v modrém tričku stojí a usmívá se před výrobkem ze zelené nylonové látky.
Malý bělošský chlapec zametá podlahu terasy velkým koštětem.
Osoba se chystá hodit zelenou bowlingovou kouli po dráze.
Skupina hraje rock návštěvníkům baru.
Postarší muž se prochází se psem na červeném vodítku.
Muž řídí červené staromódní závodní auto.
Mladí dospělí v červených, žlutých a černých tričkách v řadě předvádí své číslo.
Mladý chlapec hází kámen do stojaté vody.
Dvě ženy s krátkými vlasy jsou otočené k sobě a ta blonďatá něco říká.
Postava v důmyslném kostýmu před výrazně zdobenou stavbou.
Pes jde malým potom s hadrem v tlamě.
Tři malí psi u něčeho čuchají.
Dva muži pádlují na kajaku v řece se zelenými stromy na obou březích.
Dvě holky jdou po ulici.
Skupina dětí sedí vzadu v dodávce a spolu se dívají na knihu.
Lidé na pláži si prohlížejí obraz srdce namalovaný na obloze.
Dívka sedí pohodlně na veřejném místě, čte si a udržuje knihu otevřenou rukou, na které má prstýnek s motýlem.
Muž má oběd v restauraci.
Muž v obleku a brýlích má nějaký předmět v rukou.
Muž v černém neoprenu surfuje na vlně.
Žena s růžovou kabelkou sedí na lavičce.
Tři ženy se usmívají a sedí.
Červené letadlo přelétává nad lodí a zanechává při tom růžovou kouřovou stopu.
Muž při sportovním lezení šplhá na skálu.
Dva stavební dělníci pomáhají nakládat náklaďák na městském staveništi.
Žena v barevném oblečení prochází kolem bílé dodávky s kanystry.
Žena v modrém klobou a žluté sukni skáče u lilií.
Muž ve zlatém oblečení stojí u svého starého kola.
Mimino se dívá na listy na větvi stromu.
Uklízeč se chystá vytírat stanici vlaku.
Dva malí černí kluci si hrají s láhvemi s umělé hmoty a náramně se baví.
Na semaforu svítí zelená a lidé se dívají na motorky.
Dva lidé šplhají na skálu po provaze.
Muž a žena rybaří na pláži.
Dítě dělá salto, když skáče na trampolíně.
Děti jedou na řetízkovém kolotoči
Dva lidé drží vzhůru nohama obří glóbus s průměrem asi čtyři stopy a dítě vypadá, že skáče přes Antarktidu.
Dva muži z armády hrají baseball.
Žena v černých šatech tlačí vozík s termoskami dlážděném chodníku.
Policista zastavuje auto na kraji silnice.
Muž stojí na molu vedle lodi na klidném jezeře.
Skupina skotských důstojníků na přehlídce.
Žena a dítě spolu sedí v rámu dveří u šedého a muž jde okolo.
Osamocený hasič pomáhá zkrotit veliký oheň.
Osoba ve fialovém tričku maluje na zeď obraz ženy.
Malá dívka leží na podlaze a její mladší sestra dělá, že je zdravotní sestřička.
Mladší a starší žena v tradičních šatech u kolovrátku, tři lidé v moderních šatech jsou od pasu dolů zobrazeni v pozadí.
Žena jde hlubokým sněhem ze strmého kopce.
Řidič FedExu poslouchá dělníka v zelené helmě, zatímco se nakládá vybavení.
Hnědý pes má na sobě černý obojek.
Hnědobílý pes běží dolů po žlutomodré rampě.
Dítě se chystá číst knihu.
Starší Japonec se pokouší opravit malý červenošedý stroj.
Malé dítě a žena stojí vedle kohouta v kleci.
Dítě převlečené za Spidermana zvoní na zvonek u dveří.
Muž v hnědém drží světelný meč.
Mladá žena stojí a zpívá do mikrofonu, zatímco muž za ní drží kytaru.
Dvě děti hrabou díry v hlíně.
Hodně těchto lehátek je prázdných a leží na nich jen hrstka lidí, kteří si užívají sluníčka.
Nějací muži sedí na lodi u pláže s naskládanými kládami a klacky.
Mladý muž nese něco ve velkém černém igelitovém pytli na odpadky.
Starší muž s nadváhou obrací palačinku při přípravě snídaně.
Muž ve žlutém obleku na pódiu s piánem a další muž hrají na basu.
Několik lidí stojí u stromů za úsvitu.
Hnědý pes kouše velký kus dřeva.
Turista pózuje ve vyprahlé horské krajině.
Skupina dětí si hraje ve vodě pod mostem.
Žena se směje vedle muže, který se také směje a drží cukrovou vatu.
Dvě ženy stojí před třídou dětí a mluví o knížce.
Dvě brunetky hovoří ve třídě plné blonďatých dětí.
Člověk, který má na sobě čepici a šálu, se dívá doprava.
Dva lidé jdou přes ulici.
Starý muž drží jednoho, zatímco další jeho pes mu šplhá do klína.
Tři děti se dívají na muže, který hraje na pódiu na kytaru.
Chlapec si bere kolík od dívky uprostřed závodu.
Modrý jeep jede do hluboké, bahnité vody.
Dáma s černým kloboukem fotí a padá sníh.
Muž sedí na zemi a hraje na kytaru.
Pes šlape do mělké vody ve skalnatých horách.
Mladá Asiatka skáče do vzduchu v části města, kde je hodně lidí.
Tři muži hrají na pódiu.
Čtyři lidé protestují proti tomu, jak Equinox zachází s mladými dělníky.
Muž dělá hamburgery na černém grilu.
Muž v kšiltovce se opírá o slabou tyč.
Malý chlapec ve žlutém tričku visí na kruhu a okolo jsou ostatní děti.
Malé dítě jí ovoce a pije sklenici džusu.
Jeden muž a dvě ženy v šortkách jdou po ulici.
Dva pudli běží sněhem.
Malá zrzavá holka má na sobě oblek Spidermana a jede na hračce koně.
Muž v bílé loďce na rybníku.
Lyžaři před chatou.
Lidé jsou fotografováni při horolezení nebo horské turistice.
Několik lidí plave ve vodě.
Ženy v plavkách hrají za slunného dne plážový volejbal.
Muž a žena sedí naproti sobě u stolu v restauraci.
Matka a dvě děti pózují a dělají vtipné obličeje.
Zlatý retrívr plave ve vodě s červenou hračkou v hubě.
Čtyři muži stojí u žlutého auta.
Skupina mužů, žen a dětí v kloboucích se baví na pláži.
Malý kluk v dupačkách leze po hnědé podlaze.
Malá holčička dává dar armádě spásy vedle vstupu do obchodu, kde jsou plastové nádoby.
Žlutý pes nese míč v tlamě na pláži.
Muž v červeném triku a dvě děti stojí před starou budovou.
Muž se dívá na ženu, když jsou na baru.
Kapela hraje na venkovním pódiu u řeky.
Dvě ženy se usmívají na společenské události.
Žena má na sobě růžové tričku a muž v pruhovaném svetru ji ukazuje nějakou práci s jehlicí.
Dítě sedící na skále.
Muž sedí na židli s pivem v rukou a opéká si něco k jídlu na dřevěné tyči.
Policista v uniformě má sluchátko.
Muž v hasičském oblečení přechází ulici v blízkosti bílého autobusu a červeného nákladního auta.
Černobílý pes plave v čisté vodě.
Hudební skupina hraje na pódiu při koncertě.
Tři lidé hrají na hudební nástroje a další člověk vypadá, že zpívá.
Muž hraje na klávesy a zpívá do mikrofonu.
Malý chlapec skáče do vody.
Žena si čte pohlednici, sedí na konci gauče a další žena stojí vedle ní a drží sklenici s pitím.
Dělníci na stavbě tvrdě pracují.
Muž se holí a sedí na pláži u oceánu.
Blonďatá žena v modrém triku rozbaluje čepici.
Dva muži si povídají za varhany a osamocená žena stojí po jejich pravici.
Mladý blonďatý muž mluví do mikrofonu.
Hotelový zřízenec v plášti tlačí náklad zavazadel.
Pres se krčí mezi rostlinami a dívá se do foťáku.
Hudební skupina vystupuje na pódiu před davem lidí.
Tři psi si hrají ve sněhu.
Muž a žena stojí u stromu a hovoří spolu.
Pes skáče za žlutočerným míčem.
Starší žena v šedočerveném svetru vaří pokrm.
Žena v kabátu je před domem a sněží.
Žena nese další ženu na zádech, mají na sobě cvičební úbory.
Dítě stojí vedle kočárku a drží meč.
Chlápek s kudrnatými vlasy skateboarduje po rampě se žlutými písmeny.
Muž kutálí kulatý stůl po podlaze.
Skupina lidí ve člunu na moři.
Muž ve žluté košili stojí na chodníku a něco měří.
Žena v modré košili a džínách vyhazuje něco do popelnice.
Žena v masce dominy drsnými vlasy je na večírku.
Osoba parasailuje na hřebenu vlny.
Muži v modrých uniformách sedí v autobuse.
Auto ATV se snaží dostat z díry.
Muž sráží dalšího, když hrají fotbal.
Fotbalový hráč v červeno-bílém hovoří s trenérem.
Dvě dívky sedí u zdi a dívají se na zápas.
Trenér OU má na hlavě sluneční brýle v průběhu fotbalového zápasu.
Fotbalový tým má na sobě červená trička a červené helmy.
Kluk v černém oblečení dělá hvězdu na pláži.
Pózují na fotku.
Muž v zeleném tričku dává pusu batoleti, když sleduje běžce na trati.
Pět členů kapely hraje píseň.
Tři ženy sedí na zemi dece s dítětem a baví se.
Muž s chlapcem sedí u oltáře a drží zvonky.
Muž ve slunečních brýlích pomáhá dítěti ve slunečních brýlích sjet dolů skluzavce.
Pes běží trávou k fotografovi.
Dívka s dlouhým copem je připravená hodit míč další hráčce na hřišti.
Dva muži zápasí na žlutomodré podlaze.
Dívka v červenomodrém dresu a modrých šortkách je připravena k hodu míčem.
Sedící muž pracuje rukama.
Hnědý pes běží po pláži a nese klacek.
Osoba vesluje na vodě.
Muž v červenobílé pruhované košili sedí na stoličce u stánku s párky v rohlíku.
Muž fotí bílé a žluté tulipány.
Dva muži ve fezech diskutují na venkovním trhu.
Muž a hoch si hrají se psem při západu slunce na pláži.
Horkovzdušný balón přistává, muž ve stínu je v pozadí.
Ten muž má na sobě čepici nebo klobouk.
Ženě malují na obličej černé čáry a třpytky.
Batole v džínové čepici si hraje na pneumatice.
Dav lidí stojí na ulici před řadou bílých stanů.
Dav lidí prochází parkem.
Žena s tmavými vlasy má na sobě modrou blůzu a sluneční brýle drží transparent a malá holčička se zapletenými vlasy píše na transparent.
Množství asijských dětí dělá vláček pod vietnamskou cedulí.
Kovboj jezdí v rodeu na koni, který vykopává nohama.
Ženich a nevěsta při svém novomanželském polibku.
Dva záchranáři podkládají vlak.
Muž pracuje na železnici v železniční stanici.
Pár dělníků, míchají beton v trakařích, staví nebo opravují zeď, zeď je ještě vlhká.
Kapela hrající na chodníku.
Muži v oranžových oblecích sledů stroj, jak hrabe vedle něčeho, co vypadá jako koleje metra.
Mladí dospělí v neformálním oblečení jdou po trávě.
Velký hnědý pes běží mělkou vodou.
Muž a ženy jdou přes prázdnou ulici.
Muž nabalený do chladného počasí stojí v koši a pracuje na elektrických drátech.
Dvě děti ve žlutých kabátcích si hrají v blátě.
Několik lidí jede na horské dráze hlavou dolů.
Žena sedí s malým chlapcem na křesle.
Skupina lidí stojí přibližně v řadě na dlážděné podlaze.
Malá holka plave v bazénu.
Kluk v oranžovém tričku se směje a kluk v modrém tričku se na něj dívá.
Malé dívka stojí venku v louži.
Malá blonďatá dívka drží sendvič.
Čtyři lidé se snaží spravit kolo v parku
Promáčený hnědý pes vylézá z vody.
Pres běží přes trávu s míčem v tlamě.
Skupina lidí čeká za zábranou a dívá se doprava.
Dítě, které má na sobě červenou mikinu, visí hlavou dolů ze stromu.
Obsluha hry na pouti si bere peníze od dvou soutěžících.
Kluk se směje do foťáku ve skupině sedících dětí.
Dvě děti bez triček sedí na kraji fontány.
Muž si natahuje mikinu, když má kajak u nohou.
Starý muž jde s deskami v ruce.
Nezaujatá mladá žena a starší muž stojí u baru.
Mladý blonďatý chlapec skáče z postele na postel.
Malé dítě máchá červenou baseballovou pálkou.
Muž mluví do mobilu před sportovním obchodem.
Dvě maminky poslouchají malé dítě.
Žena v modrém tričku hraje na hudební nástroj.
Toto je rušná křižovat ve velkém městě v noci.
Muž sedí v mělké vodě vedle velké kamenné tváře.
Pár turistů si dává přestávku, aby se vyfotili.
Čtyři lidé ve stylu goth jdou po ulici se stromy v pozadí
4 lidé jsou připoutaní před jízdou v zábavním parku
Chlapec předvádí trik z kovové tyče na skateboardu.
Muž na pláži staví hrad z písku.
Velký hnědý pes honí malého hnědého psa.
Muži v bílých úborech zdvihají ruce.
Žena hází frisbee psovi a za ní běží baseballista v dresu.
Černý pes stojí v trávě a má v hubě plastovou věc.
Loď s lidmi a jejich věcmi je na vodě.
Skupina závodních silničních cyklistů se naklání v zatáčce.
Tři lidé sedí venku u stolu, o který jsou opřena umělecká díla.
Bílá žena a černý muž jsou po ulici.
Muž v bílém tričku maluje uprostřed silnice vydlážděné kameny.
Hnědo-černo-bílý pes štěká nahoru na strom.
Muž s modročerveně pomalovaným obličejem pózuje spolu se ženou.
Dva chlapci hrají hru s kuličkami.
Dva muži čekají na zadním sedadle v autě a řidič si sedá na sedadlo řidiče.
Chlapec se houpe na houpačce.
Černoch se dívá na druhého, který si hraje pod vodopádem.
Osoba s červeným batohem na výletě.
Asijský dodavatel ovoce a zeleniny a jeho výběr banánů, pomerančů, melounů a dalšího na jeho loďce.
Velký dav stojí s velkými budovami v pozadí.
Tři ženy s tmavými klobouky zahalené do tmavých šátků spolu mluví na dlážděné ulici a u nich sedí pes.
Muž v bílém si dělá kebab.
Osoba v neonově růžové paruce a žlutém tričku se dívá přes pláž.
Muž se dívá na ženu, která kouří na chodníku.
Muž v černém tričku, hnědých kapsáčích drží lopatu nad hlavou.
Muž olizující tvář ženy s brýlemi.
Dítě jde před dalším.
Malý chlapec v pozadí dělá králičí uši dívce, která stojí před ním.
Mimino v růžovém fleecovém oblečku leží v suchém listí a směje se.
Detail ženy s krátkými červenými vlasy.
Fotbalista v zeleném dresu běží z hřiště.
Holka vede svého psa přes překážku.
Několik dětí sedí ve třídě na barevném koberečku a hlásí se.
Námořník stojí nahoře na nástupním můstku do velké lodi.
Středně velký pes skáče, aby chytil malý látkový létající talíř.
Muž v šedém tričku odpočívá.
Černý pes skáče vodou, zatímco drží klacek v tlamě.
Dva černí psi běží vedle zpevněné cesty, každý po jedné straně.
Čtyři lidé v neformálním oblečení stojí venku a drží pytle na odpadky.
Lidé a velbloudi odpočívají v poušti.
Čtyři psi si hrají v kruhu a jeden černý pes jde pryč.
Muž v armádní uniformě mluví do mikrofonu.
Skupina asiatů na výstavě aut zírají a fotí si nové auto.
Plavec plave v bazénu.
Žena v bílém triku si uvnitř domu hoví na gauči.
Muž vedle dvou mladých dívek dává pokyn rukou.
Dívka v bílém triku ve tmavém pokoji fouká do bublifuku.
Kluci a holky z nějakého východního národa se smějí na poli.
Dítě v oranžovém tričku skáče z balíků slámy a ostatní děti se dívají.

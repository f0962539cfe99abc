Dva mladí bílí muži jsou venku poblíž mnoha keřů.
Tři lidé odpočívají na skalní římse nad horami.
Žena v modré bundě jede blízko vody na hnědém poníkovi.
Hnědovlasá žena, která jde po ulici s kelímkem.
Stavební dělníci, kteří stojí venku a dívají se na dráty nad nimi.
Dva muži na kraji nákladního říčního člunu.
Tři psi křižují ulici.
Žena, která drží psa na vodítku.
Asijský muž v obleku, který spí v metru.
Pracovník nakládající hendikepovaného muže na kolečkovém křesle do vlaku.
Dvě dívky se na břehu dívají na lidi v rybářském člunu.
Dvě tanečnice na jevišti v klubu.
Osoba lezoucí na velkou mechem obrostlou skálu.
Baseballový pálkař, který zvedá svou ruku.
Dívka jde z kopce dolů kolem nějakých zaparkovaných aut.
Dítě v zeleném skáče na trampolíně.
Několik lidí se veze na korbě popelářského vozu.
Muž s dlouhými tmavými vlasy a s knírkem kráčí ulicí v šortkách a kovbojském klobouku.
Chlapec kope do míče a další děti jej pozorují.
Asijské děti si hrají u zábradlí.
Pes s postrojem a hračkou v tlamě.
Bubeník a zpěvačka při vystoupení.
Muž a žena, kteří jedí, když jedna z nich pracuje na počítači.
Chlapec s modrou osuškou a bílou čepicí drží plavecké brýle a šnorchl.
Orientální žena, která ukazuje prstem na přeplněné ulici.
Člověk, který se dívá ven z okna autobusu A.
Dvě dívky leží na trávníku a usmívají se.
Děti si při štafetě předávají kolík.
Pán v černých trenýrkách se klouže po plachtě.
Dva muži pózují před kamerou, zatímco pijí pivo.
Dvě ženy v černých bundách čtou časopis a smějí se.
Tři chlapci hrají v trávě fotbal.
Malý chlapec se snaží učesat ženě vlasy.
Muž oblečený v černém stojí nad bílým psem.
Krásný den na ležení u oceánu a čekán na vlny.
Čtyři lidé jedou metrem.
Je nádherný den, vhodný pro svatbu.
Tři hasiči stojí na vysuté plošině.
Pán si potřásá rukou s figurínou.
Indický muž se slonem a skupina indických dětí ve chrámu.
Dívka si hází s fotbalovým míčem, zatímco sedí.
Několik lidí sedí a sleduje ženu, která něco předvádí, ve třídě, zatímco muž v pozadí vypadá nejistě.
Pán nastupuje do červeného auta.
Člověk leží na zemi u krávy.
Tři dívky pod deštníky stojí před pódiem.
Obézní muž v šortkách parkuje červený skůtr
Malé dítě sedí na trávě v parku.
Paní oblečená jako anděl hraje s dětmi.
Muž a žena nakupují spolu v centru města.
Bílovlasý muž civí na kovovou tyčku.
Muž skáče z rampy na skateboardu v přeplněném parku.
Šest lidí řeku na raftu s údolím v pozadí.
Muž oblečen celý do šedé je živá socha.
Paní fotí pomocí foťáku Canon.
Pracovník zásilkové služby v modré kšiltovce ve škole.
Dva psi štěkají za plotem.
Malý chlapec jezdí na žlutém kole přes náměstí.
Polonahá žena je pokryta bahnem.
Ind s velkým telefonem.
Dav se dívá na běžce během maratonu.
Černý pes běží okolo venkovského plaveckého bázénu.
Dospívající chlapec v červeném tričku se připravuje na odpálení volejbalového míče.
Usmívající se dívka drží růžovou květinu která jí ladí k tričku.
Deprimovaný muž, který už neví co má dělat.
Muž ve velké, prázdné místnosti sleduje skulpturu.
Černý pes má na sobě limetkově zelený obojek.
Muž opřený o auto odpočívá pod slunečníkem.
Dva muži sedící u stolu spolu mluví, přičemž jeden z nich má v ruce zpola otevřenou knihu.
Žena v kostele hraje na varhany.
Ind stojící na břehu řeky.
Dvě ženy hrají na písku volejbal.
Lidé stojí na pláži, jeden z nich je pod zeleným slunečníkem.
Nějací dospělí a děti skotačí na pláži.
Muž skáče z jedné budovy na druhou.
Muž mluví, zatímco žena posiluje.
Skupina závodníků na motorkách se řadí ke startu.
Biker provádí trik na rampě.
Auto v noci projíždí mokrou ulicí ve městě a stříká vodu všude kolem.
Muž v modrém saku si drbe čelo
Chlap v armádní uniformě mluví s dvěmi asiaty v oblecích
Malé děvče se houpe, žena stojí za ním.
Pohled skrz přední sklo vozidla na psa křížícího silnici.
Tři lidi chodí okolo proudu v džungli.
Bosý skateboadista bez trika jede po cestě.
Dva muži pózují na selfie.
Gymnasta na kruzích.
Pes u plotu běhá na trávě.
Muzikant hraje na veřejnosti na svou starou, červenou kytaru.
Světle barevný autobus zastavuje v zácpě
Stará žena s mnoha ornamenty na oblečení
Starý muž a mladá žena se objímají na gauči.
Basketbalista za Miami s číslem 33 dribluje.
Žena a muž pózují s Groucho Marx kostýmy.
Chlapec zatíná svaly s papírem, na kterém je napsáno Velikonoční lov vajíček.
Tři psi běžící ve sněhu.
Starší muž jde po trávníku na sportovním hřišti.
Žena na dětské hračce.
Dva muži si u sebe povídají na párty.
Dva kluci střílí na koš
Žena zdá se že ztěžka zvedá předmět.
Dvě ženy pózují v ložnici.
Dvě mladé holky jsou obmotány vánočními dekoracemi
Teenager na lezecké stěně.
Chlapci si hrají s legem.
Lidi v autě plném pytlů v poli plném ovcí
Osamělá loď plave na jezeře
Červená loďka právě připlouvá do přístavu
Chlapec ve vícebarevně pruhovaném triku se dívá na červený box.
Muž drží drink a pózuje s ženou.
Děti a dospělí v barevném oblečení tancují.
Muž si dává nohy na stůl.
Pes skáče přes plot.
Kluk v modrém oblečení jede na kole.
Snowbordista dělá trik na U-rampě.
Nadhazovač má číslo osm a nadhazuje.
Muž jde po hezkém chodníku u opuštěného baru
Člověk fotící skupinu jiných lidí.
Mladá dívka pózuje s další ženou, každá se usmívá.
Starý plešatý muž ve světle reflektoru hrající na kytaru.
Nějací lidé jsou v obchodě pro cyklisty.
Mladá žena s hnědými vlasy drží oranžového motýla.
Mladý muž skáče na kole z nakloněné zdi přes lavičku.
Závodník na horském kole skočí na svém kole, zatímco pozorovatelé se dívají.
Muž stojí ve sněhu s horou v pozadí.
Děti hrají fotbal v parku
Žena v černo-bílém svetru stojí v průchodu.
Ten člověk jde do vody.
Ty dvě děti se dívají na malého žlutého psa na stromě.
Muž s kytarou mluví do mikrofonu.
Žena na koni skáče přes miniaturní budovu.
Žena vykládá na stůl papíry.
Skupina barevných kajaků pádluje vodou.
Dva muži hrají hru, zatímco se ostatní dívají.
Několik mužů sedí s pivem u stolu.
Muž rybaří v moři.
Žena hrající si se psem na pláži.
Starší žena drží malé dítě.
Muž s bruslemi sjíždí na žlutém zábradlí v noci.
Asijat na kole prodávající jídlo čeká na přechodu.
Čtyři muži stojí před bílým domem.
Skupina lidí je v dodávce.
Muž uklízí ulici před domem s bránou.
Tři muži jsou shluklí u stánku s ovocem.
Muž ve velké bunďe pracuje s kytkami.
Dva muži v černé běží lesem.
Fotbalový zápas je připravován na začátek.
Muž s tenisákem si hraje se svým psem.
Táta opravuje dceři hračku.
Starý pár hraje na hudební nástroje na rohu ulice.
Pes chytá černé frisbee.
Žáci jsou ve třídě, čtou něco z papíru.
Dva muži v klaunovském makeupu předvádí hudební číslo na pódiu.
Skupina stojících žen, které se všechny dívají stejným směrem.
Muž připravuje bílý Volkswagen na odtažení náklaďákem AAA.
Dvě ruské ženy si povídají, zatímco třetí pochází popředí.
Dvě brunety ve stylových, sexy šatech pózují na fotce.
Několik dospělých jde po kamenné cestě v Evropě.
Tetovaný muž bez trička a s čepicí nese skateboard.
Mladý kluk a tmavovlasý pán fotí v různých směrech.
Muž se připravuje na kopnutí do míče.
Podnikatel jde po městské ulici.
Žena ve městě se ohlíží.
Dvě ženy v sárí spolu pracují na vesnici.
Černoška jde do práce.
Muž na lavičce sleduje jiného muže, jak spí.
Muž v džínové bundě se dívá přes ulici.
Muž v šedé bundě sedí na lavičce a čte knihu.
Dva muži si holí hlavy dohola.
Matka s dcerou jdou po ulici ve městě.
Starci stojí v kruhu na oslavě.
Bruneta poslouchá s nápojem.
Pán jde po chodníku.
Muž vede malou holku s batohem přes ulici.
Dva vojáci se schovávají za svodidly.
Mnoho cyklistů a jiní lidé na ulici.
Dva kluci sedí a čtou komiksy.
Muž má v uších sluchátka a v ruce iPod.
Tmavovlasý muž v hnědém tričku jde po ulici.
Barevné cedule s asijskými znaky osvětlují uličku v noci.
Pán hledí vpřed, zatímco jeho společnice si zakrývá obličej šátkem.
Dívka a chlapec, kteří jdou po kamenech.
Žena v eklektickém oděvu maluje druhé ženě na ruku.
Několik mužů oblečených v modrých uniformách na pochod.
Pán fotí ptáka ve vodě.
Muž čte noviny.
Děti a žena si hrají v kašně.
Dva starší muži čekají až budou moci přejít ulici.
Muž v kanceláři si hraje s dítětem.
Starý člověk jde po chodníku vedle bílé budovy.
Rušný den v městských ulicích.
Dvě krásné dívky ukazují svá skvostná těla.
Dvě blondýnky rozdávají letáky na rušné ulici.
Muž a žena, oba v bílých trikách, se dívají do dáli.
Chodci jdou po chodníku v městském prostředí.
Nevěsta má na své svatbě oranžový pásek.
Voják mluví před několika lidmi.
Obchod je otevřený v noci.
Muž a žena se dívají na spoustu koulí na zemi.
Pár odpočívá na schodech a čte si průvodce.
Mladá blondýnka kouří cigaretu za chůze.
Dva malí kluci opravují dětské kolo.
Žena v barevné šále mezi dalšími lidmi se šťastně usmívá.
Žena v bílých kalhotách drží dítě a kouká se na oceán.
Stojící muž se sklopenýma očima.
Muž zpívá do mikrofonu.
Policisté na koni zastavují u skupiny chlapců.
Mladá žena hraje bowling s UV nastavením.
Muž na mopedu jede ulicemi ve svém městě.
Žena v modrém zimní oblečení běžkuje a táhne za sebou strom.
Stavební dělník stojí na dřevěném trámu a kouká se dolů.
Muž v šedém triku seká trávník a jeho syn ho napodobuje s dětskou sekačkou.
Dítě visí ve vzduchu při poskakování na karnevalové atrakci.
Pěší turista pózuje na fotce před ohromujícím výhledem na hory s mraky.
Dva chlapci požívají křídu na psaní na chodník.
Fotbalista kope do míče.
Malý chlapec se dívá do dalekohledu během dne.
Muž v bílém tričku stojí na letadle.
Muž v červeném stojí za řetězy, zatímco se dívá přes vodu směrem k pevnině.
Při rodeu jede kovboj na divokém koni a sotva se drží v sedle.
Žena si užívá nákupní den v ulicích.
Někdo šlehá vejce ručním mixérem.
Mladá žena v cyklistickém úboru se otáčí dozadu
Blond volejbalistka se natahuje aby trefila míč.
Oranžová motorka jede v náklonu po závodní ploše.
Zdá se, že davu se líbí výkon chlapců na pódiu.
Běžec v lese se cachtá přes velkou kaluž.
V přístavu sedí osamělý muž a hraje na akordeon.
Mladý muž předvádí skok na skateboardu, zatímco druhý mladý muž fotografuje jeho výkon.
Dav přihlíží, jak muž a žena tančí.
Muž zkoumá něco pod mikroskopem zatímco další přihlížejí.
Protestující drží transparent ve španělštině.
Lyžař v červené rozhazuje sníh na bílém pozadí.
Chlapeček v černém oblečení a helmě máchá modrou pálkou v odpališti.
Dva hokejové týmy hrají hokej.
Fotograf fotí mužstvo v červeném oblečení.
Muž v rudém saku se špičatými vlasy hraje na kazu na pódiu.
Řidič jede velice rychle malým autem.
Baseballový hráč se napřáhl, aby trefil míč, zatímco se soudce krčí za ním.
Cyklistka v červeném tlačí své kolo.
Malá holčička si hraje na písku a staví z něj hrad.
Slečna ve žluté blůze a brýlích sedí za stolem u notebooku.
Žena v uniformě americké armády sedí u stolu se svými kolegy a vyplňuje schéma.
Dva fotbalisté na přeplněném stadionu se pouští za míčem v utkaní mezi Spojenými státy a Kanadou.
Fotbalisté uprostřed hry.
Muž řídící krosovou motorku zatáčí na velké blátivé trati.
Šedovlasý muž ve žlutohnědém tričku si prohlíží zboží v obchodě se sběratelskými předměty.
Černobílý pes následuje strakaté kachny.
Myč oken hledá balanc při mytí okna.
Dítě s hračkou v ruce plave pod vodou.
Dva psi zápasí v poli.

"""How the text analyzer sees a word, without the engine: the word pattern, case and
accent folding, and the stop words it drops.

The query parser needs these to know, before any engine runs, which typed words
are searchable: a plain word that is only a stop word (*the*, *of*) searches
nothing.  They are copies of what the Whoosh analyzers use
(``newsindex.engine.whoosh.schema.text_analyzer``, ``whoosh.analysis.STOP_WORDS``,
``whoosh.support.charset.accent_map``); tests check that the copies agree.
"""

from __future__ import annotations

import re

__all__ = ["STOP_WORDS", "WORD", "WORD_PATTERN", "fold", "searchable_words"]

WORD_PATTERN = r"\w+(?:[.'’-]\w+)*"
"""A word: letters and digits, joined by inner dots, apostrophes and hyphens (U.S., o'neill)."""

WORD = re.compile(WORD_PATTERN)

STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may "
    "not of on or tbd that the this to us we when will with yet you your".split()
)
"""Very common English words the text analyzer drops (``whoosh.analysis.STOP_WORDS``)."""

_FOLD_FROM = (
    "HIJNPSTWYinpsÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ"
    "ÞßàáâãäåçèéêëìíîïðñòóôõöøùúûüýþÿĀāĂăĄąĆć"
    "ĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮį"
    "İıĴĵĶķĹĺĻļĽľĿŀŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞş"
    "ŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƀƁƂƃƇƈƉƊƋ"
    "ƌƎƏƑƒƓƗƘƙƚƝƞƟƠơƤƥƫƬƭƮƯưƲƳƴƵƶƺǍǎǏǐǑǒǓǔǕǖǗ"
    "ǘǙǚǛǜǝǞǟǠǡǢǣǤǥǦǧǨǩǪǫǬǭǮǯǰǴǵǸǹǺǻǼǽǾǿȀȁȂȃȄ"
    "ȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȠȡȤȥȦȧȨȩȪȫȬȭȮȯȰ"
    "ȱȲȳȴȵȶȷȺȻȼȽȾɃɄɆɇɈɉɊɋɌɍɎɏɓɕɖɗɚɝɟɠɨɫɬɭɱɲɳɵ"
    "ɼɽɾʂʄʈʉʋʏʐʑʝʠ̣̩̱̃̈̊̌ᵬᵭᵮᵲᵳᵵḀḁḂḃḄḅḆḇḈḉḊḋḌḍ"
    "ḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵ"
    "ḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝ"
    "ṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅ"
    "ẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẚẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằ"
    "ẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộ"
    "ỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹⱠⱡⱢⱣⱤⱥⱦⱧ"
    "ⱨⱩⱪⱫⱬ０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹ"
    "Ｚａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
)
_FOLD_TO = (
    "hijnpstwyinpsaaaaaaceeeeiiiinoooooouuuuy"
    "tsaaaaaaceeeeiiiidnoooooouuuuytyaaaaaacc"
    "ccccccddddeeeeeeeeeegggggggghhhhiiiiiiii"
    "iijjkkalllllllllnnnnnnoooooorrrrrrssssss"
    "ssttttttuuuuuuuuuuuuwwyyyzzzzzzbbbbccddd"
    "deeffgikklnnoooppttttuuvyyzzzaaiioouuuuu"
    "uuuuueaaaaaaggggkkoooozzjggnnaaaaooaaaae"
    "eeeiiiioooorrrruuuusstthhndzzaaeeooooooo"
    "oyylntjaccltbueejjqqrryybcddeejgilllmnno"
    "rrrsjtuvyzzjqptyjlshbdfrrtaabbbbbbccdddd"
    "ddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkk"
    "llllllllmmmmmmnnnnnnnnoooooooopppprrrrrr"
    "rrssssssssssttttttttuuuuuuuuuuvvvvwwwwww"
    "wwwwxxxxyyzzzzzzhtwyasaaaaaaaaaaaaaaaaaa"
    "aaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooo"
    "oooooooooouuuuuuuuuuuuuuyyyyyyyylllprath"
    "hkkzz0123456789ABCDEFGHIJKLMNOPQRSTUVWXY"
    "Zabcdefghijklmnopqrstuvwxyz"
)
_FOLD = str.maketrans(_FOLD_FROM, _FOLD_TO)


def fold(word: str) -> str:
    """``word`` lower-cased with accents folded, as the analyzers do (*José* → *jose*)."""
    return word.lower().translate(_FOLD)


def searchable_words(text: str) -> list[str]:
    """The folded words of ``text`` that the text analyzer keeps (not stop words)."""
    return [word for word in (fold(w) for w in WORD.findall(text)) if word not in STOP_WORDS]

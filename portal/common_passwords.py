"""Passwords too common to allow: the most used ones of published leak statistics (global
lists and the Chinese favourites), compared case-insensitively. Short ones are listed too, so
the list stays useful if the minimum length is ever lowered."""

COMMON_PASSWORDS = frozenset("""
123456 123456789 12345678 1234567890 1234567 12345 123123 111111 000000 654321 666666 888888
112233 123321 121212 123654 1234 12345678910 0123456789 987654321 9876543210 11111111 88888888
00000000 66666666 99999999 12341234 11223344 123123123 147258369 159357 147258 159753 741852963
789456123 123456a 123456aa 123456abc a123456 a12345678 a1234567 a123456789 aa123456 abc123
abc12345 abc123456 abcd1234 abcd123456 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qaz2wsx3edc qwe123
qwe123456 qweasd qweasdzxc qwerty qwerty123 qwertyuiop asdfgh asdfghjkl zxcvbnm zxcvbn asd123
asd123456 zxc123 zxc123456 qaz123 qazwsx qazwsxedc woaini woaini1314 woaini520 woaini123
woaini521 5201314 52013145201314 1314520 1314521 520520 521521 5211314 iloveyou iloveyou1
iloveyou123 qq123456 qq123456789 qq5201314 wang123456 zhang123456 li123456 liu123456 chen123456
woshishui wodemima mima123 mima123456 password password1 password123 passw0rd p@ssw0rd p@ssword
admin admin123 admin1234 admin12345 admin123456 admin888 admin666 administrator root root123
root1234 toor test test123 test1234 test123456 guest guest123 user user123 user1234 welcome
welcome1 welcome123 letmein letmein123 monkey dragon master master123 sunshine princess
football baseball superman batman trustno1 shadow michael jordan23 starwars whatever freedom
hello hello123 hello1234 hellokitty computer internet login login123 secret secret123 changeme
default 1qazxsw2 1q2w3e 2wsx3edc zaq12wsx zaq1xsw2 !qaz2wsx !@#$%^ !@#$%^&* 1234qwer
qwer1234 q1w2e3r4 q1w2e3r4t5 a1b2c3d4 a1b2c3 aaaaaa aaaaaaaa abcdef abcdefg abcdefgh
abcabc abc123abc 123abc 123qwe 123qweasd 123asd 123456qwe 123456q 123456qq 123456789a
1234567a 12345678a 12345a 1234abcd 88888888a 666666a 888888a 5201314a woainima woaiwojia
iloveu ilovechina china123 china1234 beijing beijing123 shanghai shanghai123 zhongguo
zhongguo123 huawei huawei123 xiaomi xiaomi123 tencent baidu baidu123 taobao taobao123 alipay
weixin weixin123 wechat wechat123 qq123 qq1234 qwe123qwe asdasd asdasd123 zxczxc zxcasdqwe
qweqwe qweqwe123 aa123123 aa112233 a123123 a111111 a000000 a5201314 abc520 love1314
1314woaini 7758521 7758258 5845201314 147852369 147852 258369 369258147 963852741 321321
123321123 110110 110120 119119 12344321 123454321 1234554321 520131400 520131413 131452099
caonima caonima123 nihao123 nihao123456 dearbook sunlight moon1234 happy123 lucky888
888666 168168 518518 168888 888999 999999 777777 555555 333333 222222 444444 1111111 11111
1111111111 0000000000 87654321 7654321 123456789q asdf1234 asdfasdf asdfghjk qwertyui
zxcvbnm123 zxcvbnm1 yingshang yingshang123 zhengfu zhengfu123 gov123456 portal123 demo1234
""".split())

"""Money: amounts are stored as an integer number of minor units plus an ISO 4217 currency code.

CURRENCIES is the one list of codes projects may use. Each code carries its number of minor
units (2 for EUR: 600.00 EUR is stored as 60000; 0 for JPY; 3 for KWD), so conversions and
display are right for every currency, not only the ones with cents. Funds, precious metals and
test codes (XAU, XTS, …) are left out: nobody pays a student in them.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# code: (name, minor units), from ISO 4217's list of active currencies.
CURRENCIES: dict[str, tuple[str, int]] = {
    "AED": ("UAE dirham", 2),
    "AFN": ("Afghan afghani", 2),
    "ALL": ("Albanian lek", 2),
    "AMD": ("Armenian dram", 2),
    "AOA": ("Angolan kwanza", 2),
    "ARS": ("Argentine peso", 2),
    "AUD": ("Australian dollar", 2),
    "AWG": ("Aruban florin", 2),
    "AZN": ("Azerbaijani manat", 2),
    "BAM": ("Bosnia and Herzegovina convertible mark", 2),
    "BBD": ("Barbados dollar", 2),
    "BDT": ("Bangladeshi taka", 2),
    "BGN": ("Bulgarian lev", 2),
    "BHD": ("Bahraini dinar", 3),
    "BIF": ("Burundian franc", 0),
    "BMD": ("Bermudian dollar", 2),
    "BND": ("Brunei dollar", 2),
    "BOB": ("Boliviano", 2),
    "BRL": ("Brazilian real", 2),
    "BSD": ("Bahamian dollar", 2),
    "BTN": ("Bhutanese ngultrum", 2),
    "BWP": ("Botswana pula", 2),
    "BYN": ("Belarusian ruble", 2),
    "BZD": ("Belize dollar", 2),
    "CAD": ("Canadian dollar", 2),
    "CDF": ("Congolese franc", 2),
    "CHF": ("Swiss franc", 2),
    "CLP": ("Chilean peso", 0),
    "CNY": ("Chinese yuan", 2),
    "COP": ("Colombian peso", 2),
    "CRC": ("Costa Rican colón", 2),
    "CUP": ("Cuban peso", 2),
    "CVE": ("Cape Verdean escudo", 2),
    "CZK": ("Czech koruna", 2),
    "DJF": ("Djiboutian franc", 0),
    "DKK": ("Danish krone", 2),
    "DOP": ("Dominican peso", 2),
    "DZD": ("Algerian dinar", 2),
    "EGP": ("Egyptian pound", 2),
    "ERN": ("Eritrean nakfa", 2),
    "ETB": ("Ethiopian birr", 2),
    "EUR": ("Euro", 2),
    "FJD": ("Fiji dollar", 2),
    "FKP": ("Falkland Islands pound", 2),
    "GBP": ("Pound sterling", 2),
    "GEL": ("Georgian lari", 2),
    "GHS": ("Ghanaian cedi", 2),
    "GIP": ("Gibraltar pound", 2),
    "GMD": ("Gambian dalasi", 2),
    "GNF": ("Guinean franc", 0),
    "GTQ": ("Guatemalan quetzal", 2),
    "GYD": ("Guyanese dollar", 2),
    "HKD": ("Hong Kong dollar", 2),
    "HNL": ("Honduran lempira", 2),
    "HTG": ("Haitian gourde", 2),
    "HUF": ("Hungarian forint", 2),
    "IDR": ("Indonesian rupiah", 2),
    "ILS": ("Israeli new shekel", 2),
    "INR": ("Indian rupee", 2),
    "IQD": ("Iraqi dinar", 3),
    "IRR": ("Iranian rial", 2),
    "ISK": ("Icelandic króna", 0),
    "JMD": ("Jamaican dollar", 2),
    "JOD": ("Jordanian dinar", 3),
    "JPY": ("Japanese yen", 0),
    "KES": ("Kenyan shilling", 2),
    "KGS": ("Kyrgyzstani som", 2),
    "KHR": ("Cambodian riel", 2),
    "KMF": ("Comoro franc", 0),
    "KPW": ("North Korean won", 2),
    "KRW": ("South Korean won", 0),
    "KWD": ("Kuwaiti dinar", 3),
    "KYD": ("Cayman Islands dollar", 2),
    "KZT": ("Kazakhstani tenge", 2),
    "LAK": ("Lao kip", 2),
    "LBP": ("Lebanese pound", 2),
    "LKR": ("Sri Lankan rupee", 2),
    "LRD": ("Liberian dollar", 2),
    "LSL": ("Lesotho loti", 2),
    "LYD": ("Libyan dinar", 3),
    "MAD": ("Moroccan dirham", 2),
    "MDL": ("Moldovan leu", 2),
    "MGA": ("Malagasy ariary", 2),
    "MKD": ("Macedonian denar", 2),
    "MMK": ("Myanmar kyat", 2),
    "MNT": ("Mongolian tögrög", 2),
    "MOP": ("Macanese pataca", 2),
    "MRU": ("Mauritanian ouguiya", 2),
    "MUR": ("Mauritian rupee", 2),
    "MVR": ("Maldivian rufiyaa", 2),
    "MWK": ("Malawian kwacha", 2),
    "MXN": ("Mexican peso", 2),
    "MYR": ("Malaysian ringgit", 2),
    "MZN": ("Mozambican metical", 2),
    "NAD": ("Namibian dollar", 2),
    "NGN": ("Nigerian naira", 2),
    "NIO": ("Nicaraguan córdoba", 2),
    "NOK": ("Norwegian krone", 2),
    "NPR": ("Nepalese rupee", 2),
    "NZD": ("New Zealand dollar", 2),
    "OMR": ("Omani rial", 3),
    "PAB": ("Panamanian balboa", 2),
    "PEN": ("Peruvian sol", 2),
    "PGK": ("Papua New Guinean kina", 2),
    "PHP": ("Philippine peso", 2),
    "PKR": ("Pakistani rupee", 2),
    "PLN": ("Polish złoty", 2),
    "PYG": ("Paraguayan guaraní", 0),
    "QAR": ("Qatari riyal", 2),
    "RON": ("Romanian leu", 2),
    "RSD": ("Serbian dinar", 2),
    "RUB": ("Russian ruble", 2),
    "RWF": ("Rwandan franc", 0),
    "SAR": ("Saudi riyal", 2),
    "SBD": ("Solomon Islands dollar", 2),
    "SCR": ("Seychelles rupee", 2),
    "SDG": ("Sudanese pound", 2),
    "SEK": ("Swedish krona", 2),
    "SGD": ("Singapore dollar", 2),
    "SHP": ("Saint Helena pound", 2),
    "SLE": ("Sierra Leonean leone", 2),
    "SOS": ("Somali shilling", 2),
    "SRD": ("Surinamese dollar", 2),
    "SSP": ("South Sudanese pound", 2),
    "STN": ("São Tomé and Príncipe dobra", 2),
    "SVC": ("Salvadoran colón", 2),
    "SYP": ("Syrian pound", 2),
    "SZL": ("Swazi lilangeni", 2),
    "THB": ("Thai baht", 2),
    "TJS": ("Tajikistani somoni", 2),
    "TMT": ("Turkmenistan manat", 2),
    "TND": ("Tunisian dinar", 3),
    "TOP": ("Tongan paʻanga", 2),
    "TRY": ("Turkish lira", 2),
    "TTD": ("Trinidad and Tobago dollar", 2),
    "TWD": ("New Taiwan dollar", 2),
    "TZS": ("Tanzanian shilling", 2),
    "UAH": ("Ukrainian hryvnia", 2),
    "UGX": ("Ugandan shilling", 0),
    "USD": ("US dollar", 2),
    "UYU": ("Uruguayan peso", 2),
    "UZS": ("Uzbekistani sum", 2),
    "VES": ("Venezuelan bolívar", 2),
    "VND": ("Vietnamese đồng", 0),
    "VUV": ("Vanuatu vatu", 0),
    "WST": ("Samoan tālā", 2),
    "XAF": ("Central African CFA franc", 0),
    "XCD": ("East Caribbean dollar", 2),
    "XCG": ("Caribbean guilder", 2),
    "XOF": ("West African CFA franc", 0),
    "XPF": ("CFP franc", 0),
    "YER": ("Yemeni rial", 2),
    "ZAR": ("South African rand", 2),
    "ZMW": ("Zambian kwacha", 2),
    "ZWG": ("Zimbabwe gold", 2),
}

# The picker lists the currencies most projects use first, then every currency.
COMMON_CURRENCIES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "CAD",
    "AUD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "INR",
    "JPY",
)
CURRENCY_CHOICES = [
    ("Common", [(code, f"{code} – {CURRENCIES[code][0]}") for code in COMMON_CURRENCIES]),
    ("All currencies", [(code, f"{code} – {name}") for code, (name, _) in CURRENCIES.items()]),
]

# The largest amount the database column holds (a signed 32-bit integer of minor units).
MAX_MINOR_UNITS = 2**31 - 1


def is_currency(code) -> bool:
    return isinstance(code, str) and code in CURRENCIES


def minor_units(currency: str) -> int:
    """How many decimal places the currency has (2 when the code is unknown)."""
    return CURRENCIES.get(currency, ("", 2))[1]


def currencies_with_minor_units(digits: int) -> list[str]:
    return [code for code, (_, units) in CURRENCIES.items() if units == digits]


def to_minor(amount: Decimal, currency: str) -> int:
    """600.00 EUR → 60000. ValueError when the amount has more decimals than the currency."""
    try:
        scaled = Decimal(amount).scaleb(minor_units(currency))
    except (InvalidOperation, TypeError) as exc:
        raise ValueError("not a number") from exc
    if scaled != scaled.to_integral_value():
        digits = minor_units(currency)
        if digits == 0:
            raise ValueError(f"{currency} amounts are whole numbers")
        raise ValueError(f"{currency} amounts have at most {digits} decimal places")
    return int(scaled)


def to_major(minor: int, currency: str) -> Decimal:
    """60000 EUR → Decimal("600.00")."""
    digits = minor_units(currency)
    return Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def format_money(amount: Decimal | int, currency: str, *, minor: bool = True) -> str:
    """An amount for people: "1,200.00 EUR", "600 JPY". `minor=False` takes major units and
    rounds them to the currency's decimals (an hourly rate of 15.3846… EUR shows 15.38 EUR)."""
    digits = minor_units(currency)
    value = to_major(amount, currency) if minor else Decimal(amount)
    value = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{value:,.{digits}f} {currency}"

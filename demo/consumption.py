"""Demo consumption assistance (消费帮扶): Zhaojue's and Liangshan's products, the two halls, the
two warehouses, the dedicated hall in Yangming ancient town and the online shop, and the sales
from mid-2022 (when the halls and warehouses opened) to March 2024.

2023's sales add up exactly to the report's 77.59 million yuan of Sichuan products, 43.39
million of them from Zhaojue and the rest from other Liangshan counties. Sales carry
``source="demo"`` and ``external_id`` ``demo-sale-<year>-<n>``, the key the bulk API upserts on.
"""

import datetime
from decimal import Decimal

from consumption.models import Product, Sale, Venue
from demo.core import DemoContext, day_in, split_amount

D = Decimal
SOURCE = "demo"
# (year, first day, last day, {group: (total yuan, number of sales)}). Zhaojue: 513431 and below.
PERIODS = [
    (
        2022,
        datetime.date(2022, 6, 1),
        datetime.date(2022, 12, 31),
        {"zhaojue": ("25860000", 420), "liangshan": ("19740000", 300)},
    ),
    (
        2023,
        datetime.date(2023, 1, 1),
        datetime.date(2023, 12, 31),
        {"zhaojue": ("43390000", 720), "liangshan": ("34200000", 520)},
    ),
    (
        2024,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 3, 31),
        {"zhaojue": ("6120000", 110), "liangshan": ("4380000", 80)},
    ),
]
# The autumn drive (消费帮扶金秋行动) and the New Year festivals sell most.
MONTH_WEIGHTS = [1.3, 1.1, 0.7, 0.7, 0.8, 0.8, 0.8, 0.9, 1.3, 1.5, 1.4, 1.2]

# (name, category, origin region, supplier, unit, price per unit in yuan, group)
PRODUCTS = [
    ("昭觉苦荞茶", "苦荞", "zhaojue", "agri_buckwheat", "盒", "68", "zhaojue"),
    ("昭觉苦荞米", "苦荞", "zhaojue", "agri_buckwheat", "kg", "18", "zhaojue"),
    ("昭觉高山蜂蜜", "蜂蜜", "zhaojue", "agri_honey", "瓶", "88", "zhaojue"),
    ("乌金猪腊肉", "腊肉", "zhaojue", "agri_pork", "kg", "120", "zhaojue"),
    ("昭觉菌菇", "菌菇", "sikai", "agri_mushroom", "kg", "60", "zhaojue"),
    ("大凉山核桃", "核桃", "zhaojue", "agri_walnut", "kg", "40", "zhaojue"),
    ("三河西门塔尔牛肉", "牛肉", "sanhe", "cattle_0", "kg", "90", "zhaojue"),
    ("“大美彝风”农特产品礼盒", "礼盒", "zhaojue", "supply_coop", "盒", "198", "zhaojue"),
    ("美姑山羊肉", "羊肉", "meigu", "meigu_goat", "kg", "95", "liangshan"),
    ("布拖高山马铃薯", "马铃薯", "butuo", "butuo_agri", "kg", "4", "liangshan"),
    ("布拖高山荞麦", "荞麦", "butuo", "butuo_agri", "kg", "15", "liangshan"),
    ("喜德苦荞挂面", "苦荞", "xide", "xide_agri", "箱", "45", "liangshan"),
]
# (name, kind, place, operator, address, sales channel)
VENUES = [
    ("昭觉农特产品展销馆", "hall", "zhaojue", "supply_coop", "昭觉县新城镇", "hall"),
    ("余姚农特产品直营旗舰店（昭觉供销社直营）", "store", "yuyao", "supply_coop", "余姚市", "store"),
    ("甬昭两地仓·昭觉产地仓", "origin_warehouse", "zhaojue", "supply_coop", "昭觉县四开镇", "warehouse"),
    ("甬昭两地仓·余姚销地仓", "destination_warehouse", "yuyao", "yuyao_trade", "余姚市", "warehouse"),
    ("余姚—昭觉东西部协作消费专馆", "hall", "yuyao", "yuyao_trade", "余姚市阳明古镇", "hall"),
    ("“大美彝风”网店", "online_shop", "zhaojue", "supply_coop", "", "ecommerce"),
]
# Sales with no venue: canteens of government bodies and enterprises, trade fairs.
OTHER_CHANNELS = ["canteen", "fair", "other"]
BUYERS = {
    "hall": ["individual", "individual", "enterprise", "union"],
    "store": ["individual", "individual", "union"],
    "warehouse": ["enterprise", "enterprise", "government"],
    "ecommerce": ["individual"],
    "canteen": ["government", "enterprise"],
    "fair": ["individual", "enterprise", "union"],
    "other": ["union", "enterprise", "other"],
}


def seed_products(ctx: DemoContext) -> dict:
    products = {}
    for name, category, origin, supplier, _unit, _price, _group in PRODUCTS:
        products[name] = ctx.ensure(
            Product,
            {"name": name, "origin_region": ctx.regions[origin]},
            {"category": category, "supplier": ctx.orgs[supplier]},
        )
    return products


def seed_venues(ctx: DemoContext) -> dict:
    venues = {}
    for name, kind, place, operator, address, _channel in VENUES:
        venues[name] = ctx.ensure(
            Venue,
            {"name": name},
            {"kind": kind, "place": ctx.regions[place], "operator": ctx.orgs[operator], "address": address},
        )
    return venues


def _month_day(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day between ``first`` and ``last``, months weighted by the selling season."""
    months = [(y, m) for y in range(first.year, last.year + 1) for m in range(1, 13)]
    months = [(y, m) for y, m in months if first <= datetime.date(y, m, 28) and datetime.date(y, m, 1) <= last]
    year, month = rng.choices(months, weights=[MONTH_WEIGHTS[m - 1] for _, m in months])[0]
    month_first = max(first, datetime.date(year, month, 1))
    month_last = min(last, datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1))
    return day_in(rng, month_first, month_last)


def seed_sales(ctx: DemoContext, products: dict, venues: dict) -> None:
    rng = ctx.rng_for("consumption")
    by_group = {}
    for name, _category, _origin, _supplier, unit, price, group in PRODUCTS:
        by_group.setdefault(group, []).append((products[name], unit, D(price)))
    outlets = [(venues[name], channel) for name, *_rest, channel in VENUES] + [(None, c) for c in OTHER_CHANNELS]
    sales = []
    for year, first, last, groups in PERIODS:
        seq = 0
        for group, (total, count) in groups.items():
            amounts = split_amount(D(total), [rng.lognormvariate(0, 0.9) for _ in range(count)])
            for amount in amounts:
                seq += 1
                product, unit, price = rng.choice(by_group[group])
                venue, channel = rng.choice(outlets)
                sales.append(
                    Sale(
                        source=SOURCE,
                        external_id=f"demo-sale-{year}-{seq:05d}",
                        sold_on=_month_day(rng, first, last),
                        origin_region=product.origin_region,
                        product=product,
                        venue=venue,
                        channel=channel,
                        buyer_kind=rng.choice(BUYERS[channel]),
                        east_role=rng.choice(("bought", "helped_sell")),
                        amount=amount,
                        quantity=max(D("0.001"), (amount / price).quantize(D("0.001"))),
                        unit=unit,
                    )
                )
    existing = set(Sale.objects.filter(source=SOURCE).values_list("external_id", flat=True))
    ctx.bulk_ensure(Sale, sales, key=lambda sale: sale.external_id, existing=existing)


def seed(ctx: DemoContext) -> None:
    products = seed_products(ctx)
    venues = seed_venues(ctx)
    seed_sales(ctx, products, venues)

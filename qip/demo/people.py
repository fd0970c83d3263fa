"""Demo people: five sign-in accounts with one password, and named staff who own root causes."""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "improving-together-2019"  # noqa: S105 (published: demo only)
EMAIL_DOMAIN = "demo-trust.nhs.uk"

# username: (first name, last name, job title)
SIGN_IN_ACCOUNTS = {
    "owner": ("Amara", "Okafor", "Maternity Matron"),
    "chair": ("Helen", "Carter", "Chair, Women's and Children's ISG"),
    "pmo": ("Priya", "Malhotra", "Head of Improving Care PMO"),
    "exec": ("Edward", "Hughes", "Chief Nurse"),
    "partner": ("Sarah", "Lewis", "Quality Lead, NHS England and Improvement"),
}

STAFF_NAMES = [
    ("Aisha", "Khan"),
    ("Ben", "Morgan"),
    ("Catherine", "Price"),
    ("Daniel", "Evans"),
    ("Eleanor", "Davies"),
    ("Farhan", "Ali"),
    ("Grace", "Thomas"),
    ("Harry", "Roberts"),
    ("Imogen", "Walker"),
    ("James", "Wright"),
    ("Kiran", "Patel"),
    ("Laura", "Green"),
    ("Mohammed", "Hussain"),
    ("Natalie", "Hall"),
    ("Oliver", "Wood"),
    ("Poppy", "Clarke"),
    ("Rachel", "Jackson"),
    ("Samuel", "Turner"),
    ("Tanya", "Edwards"),
    ("Umar", "Shah"),
    ("Victoria", "Baker"),
    ("William", "Parker"),
    ("Yasmin", "Begum"),
    ("Zoe", "Harris"),
    ("Adam", "Collins"),
    ("Bethany", "Stewart"),
    ("Chloe", "Murphy"),
    ("David", "Cooper"),
    ("Emma", "Richardson"),
    ("Francis", "Bailey"),
    ("Gemma", "Bell"),
    ("Hassan", "Ahmed"),
    ("Isla", "Ward"),
    ("Jack", "Cox"),
    ("Kate", "Howard"),
    ("Liam", "Brooks"),
    ("Megan", "Gray"),
    ("Nathan", "James"),
    ("Olivia", "Watson"),
    ("Peter", "Kelly"),
    ("Ruth", "Sanders"),
    ("Simon", "Foster"),
    ("Tom", "Russell"),
    ("Uma", "Mistry"),
]

CHAIRS = {
    "SC": ("Mark", "Fletcher", "Chair, Scheduled Care ISG"),
    "UC": ("Naomi", "Reid", "Chair, Unscheduled Care ISG"),
    "WF": ("Colin", "Barnes", "Chair, Workforce ISG"),
    "WL": ("Janet", "Moss", "Chair, Well-led ISG"),
}
EXECUTIVES = {
    "SC": ("Arthur", "Dunn", "Medical Director"),
    "UC": ("Fiona", "Marsh", "Chief Operating Officer"),
    "WF": ("Gillian", "Pike", "Director of Workforce"),
    "WL": ("Simon", "Webb", "Chief Executive"),
}


def make_user(username: str, first: str, last: str, *, password: str | None = None):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{last.lower()}@{EMAIL_DOMAIN}",
        },
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def sign_in_accounts() -> dict:
    return {
        username: make_user(username, first, last, password=DEMO_PASSWORD)
        for username, (first, last, _title) in SIGN_IN_ACCOUNTS.items()
    }


def staff() -> list:
    return [
        make_user(f"{first.lower()}.{last.lower()}", first, last) for first, last in STAFF_NAMES
    ]

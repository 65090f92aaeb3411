"""The demo organisation's content: ten departments that serve the rest of the company,
their services, promises, hours and contacts. Pure data; `loader.py` puts it in the
database. Written the way a good internal-comms person would: plain words, "you".

Standards are business minutes: (first response, resolution) per priority.
Hours are (weekdays, opens, closes); weekday 0 is Monday.
"""
from __future__ import annotations

from datetime import date

WEEKDAYS = (0, 1, 2, 3, 4)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)

DEPARTMENTS: list[dict] = [
    dict(
        slug="it", name="IT", key_prefix="IT", accent="blue",
        mission="Technology that just works, so you can get on with your job.",
        description="The IT service desk looks after your laptop, phone, accounts and the software "
        "you use every day. Most requests are handled by the first person you talk to.",
        email="it-help@example.com", phone="+44 20 7946 0100", location="Ground floor, London office",
        chat_channel="#it-help", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "08:00", "18:00"), ((5,), "09:00", "13:00")],
        closures=[(date(2026, 12, 31), "Year-end systems maintenance")],
        standards={"urgent": (30, 240), "high": (60, 480), "normal": (240, 1440), "low": (480, 2400)},
    ),
    dict(
        slug="hr", name="HR", key_prefix="HR", accent="teal",
        mission="People & Culture: pay, contracts, leave and joining or leaving the company.",
        description="HR answers questions about your pay, leave, contract and benefits, and helps "
        "managers hire, welcome and support their people. Anything you tell us is handled in confidence.",
        email="people@example.com", phone="+44 20 7946 0200", location="3rd floor, London office",
        chat_channel="#ask-hr", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "09:00", "17:30")], closures=[],
        standards={"urgent": (60, 480), "high": (240, 1020), "normal": (510, 2550), "low": (1020, 5100)},
    ),
    dict(
        slug="facilities", name="Facilities", key_prefix="FAC", accent="green",
        mission="Safe, comfortable offices: desks, rooms, parking, repairs and post.",
        description="Facilities keeps our buildings running: repairs, desks and furniture, meeting "
        "rooms, parking, post and deliveries, and anything to do with getting in and around the offices.",
        email="facilities@example.com", phone="+44 20 7946 0300", location="Reception, London office",
        chat_channel="#facilities", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "07:30", "17:30")], closures=[(date(2027, 1, 4), "Office move: Building B")],
        standards={"urgent": (15, 120), "high": (60, 600), "normal": (240, 1800), "low": (600, 3000)},
    ),
    dict(
        slug="finance", name="Finance", key_prefix="FIN", accent="amber",
        mission="Getting you paid back, suppliers paid and budgets clear.",
        description="Finance pays expenses and supplier invoices, sets up cost centres and helps budget "
        "holders understand where their money goes. Month-end close takes priority in the last two working days.",
        email="finance@example.com", phone="+44 20 7946 0400", location="2nd floor, London office",
        chat_channel="#finance-help", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[((0, 1, 2, 3), "09:00", "17:00"), ((4,), "09:00", "12:30"), ((4,), "13:30", "17:00")],
        closures=[],
        standards={"urgent": (120, 480), "high": (240, 960), "normal": (480, 2400), "low": (960, 4800)},
    ),
    dict(
        slug="legal", name="Legal", key_prefix="LEG", accent="purple",
        mission="Practical legal advice that helps the business say yes safely.",
        description="Legal reviews and drafts contracts, answers questions about data protection and "
        "intellectual property, and helps when something might end up in a dispute. Ask us early.",
        email="legal@example.com", phone="+44 20 7946 0500", location="4th floor, London office",
        chat_channel="#legal-questions", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "09:30", "17:30")], closures=[],
        standards={"urgent": (120, 960), "high": (480, 2400), "normal": (960, 4800), "low": (1920, 9600)},
    ),
    dict(
        slug="procurement", name="Procurement", key_prefix="PROC", accent="orange",
        mission="Buying the right things from the right suppliers at a fair price.",
        description="Procurement raises purchase orders, finds and checks new suppliers and runs "
        "tenders for larger purchases. Talk to us before you agree anything with a supplier.",
        email="buying@example.com", phone="+44 20 7946 0600", location="2nd floor, London office",
        chat_channel="#procurement", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "09:00", "17:00")], closures=[],
        standards={"urgent": (120, 960), "high": (240, 1440), "normal": (480, 2880), "low": (960, 4800)},
    ),
    dict(
        slug="security", name="Security", key_prefix="SEC", accent="red",
        mission="Keeping people, buildings and information safe, around the clock.",
        description="Security runs building access and badges, investigates incidents and phishing, "
        "and advises on keeping information safe. For an emergency on site, call the security desk.",
        email="security@example.com", phone="+44 20 7946 0999", location="Security desk, main entrance",
        chat_channel="#security", timezone="Europe/London", holiday_country=None, holiday_subdivision=None,
        hours=[(EVERY_DAY, "00:00", "23:59")], closures=[],
        standards={"urgent": (15, 240), "high": (60, 720), "normal": (240, 2880), "low": (720, 7200)},
    ),
    dict(
        slug="communications", name="Communications", key_prefix="COMMS", accent="pink",
        mission="Helping you tell colleagues and the world what matters, clearly.",
        description="Communications runs the intranet news, all-hands events, the brand and press "
        "enquiries. We help you write, design and time an announcement so people actually read it.",
        email="comms@example.com", phone="+44 20 7946 0700", location="1st floor, London office",
        chat_channel="#comms", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "09:00", "17:30")], closures=[],
        standards={"urgent": (60, 480), "high": (240, 1020), "normal": (510, 2550), "low": (1020, 5100)},
    ),
    dict(
        slug="data-analytics", name="Data & Analytics", key_prefix="DATA", accent="indigo",
        mission="Trustworthy numbers: reports, dashboards and access to data.",
        description="Data & Analytics builds and maintains dashboards, answers one-off data questions "
        "and grants access to the data warehouse. Tell us the decision you are trying to make.",
        email="data@example.com", phone="+1 212 555 0140", location="New York office, 12th floor",
        chat_channel="#data-help", timezone="America/New_York", holiday_country="US", holiday_subdivision="NY",
        hours=[(WEEKDAYS, "09:00", "17:00")], closures=[],
        standards={"urgent": (120, 480), "high": (240, 1440), "normal": (480, 2400), "low": (960, 4800)},
    ),
    dict(
        slug="customer-support", name="Customer Support", key_prefix="CS", accent="slate",
        mission="The voice of our customers: escalations, refunds and product feedback.",
        description="Customer Support helps colleagues who deal with customers: escalating a customer "
        "problem, approving goodwill refunds, and passing on what customers tell us about the product.",
        email="support-internal@example.com", phone="+1 212 555 0150", location="New York office, 9th floor",
        chat_channel="#support-escalations", timezone="America/New_York", holiday_country="US",
        holiday_subdivision="NY",
        hours=[(WEEKDAYS, "08:00", "20:00"), ((5,), "10:00", "16:00")], closures=[],
        standards={"urgent": (30, 240), "high": (120, 720), "normal": (240, 1440), "low": (720, 2880)},
    ),
]

# Departments that ask for services but offer none through the portal.
HOME_ONLY_DEPARTMENTS: list[dict] = [
    dict(
        slug="sales", name="Sales", key_prefix="SAL", accent="slate",
        mission="Winning and growing customer accounts.",
        description="Sales looks after our customers and brings in new ones. For sales support, "
        "talk to your sales operations partner.",
        email="sales-ops@example.com", phone=None, location="1st floor, London office",
        chat_channel="#sales", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
        hours=[(WEEKDAYS, "09:00", "17:30")], closures=[], standards={},
    ),
]

# (category, slug, name, summary, description, what to include, keywords, popularity, overrides)
SERVICES: dict[str, list[tuple]] = {
    "it": [
        ("Devices", "new-laptop", "New laptop",
         "Order a laptop for yourself or for someone joining your team.",
         "Standard laptops are in stock and ready in two working days. Replacements for old laptops "
         "are due every four years; we copy your files across and collect the old one.",
         "Who the laptop is for and their start date\nWindows or Mac, and keyboard layout\nCost centre to charge",
         "computer notebook macbook pc hardware starter", 95, {}),
        ("Devices", "device-repair", "Device repair",
         "Something broken, slow or damaged? We repair it or swap it.",
         "Bring the device to the service desk or ask us to collect it. We lend you a spare while "
         "yours is repaired, so you are never without one.",
         "What is wrong and since when\nThe asset tag on the device\nWhether you need a loan device",
         "laptop broken screen keyboard battery slow fix", 70, {}),
        ("Devices", "mobile-phone", "Mobile phone",
         "A work phone, a replacement, or a phone moved to a new number.",
         "Work phones come set up with e-mail, chat and the authenticator app. Lost or stolen phones "
         "are wiped remotely: tell us straight away.",
         "New phone, replacement or lost/stolen\nYour current number, if any",
         "iphone android mobile sim cellphone", 40, {}),
        ("Access & accounts", "password-reset", "Password reset",
         "Locked out or forgotten your password? We get you back in.",
         "You can reset most passwords yourself at the sign-in page. If that does not work, we will "
         "check who you are by phone and reset it for you.",
         "Which system you are locked out of\nA phone number we can call you on",
         "locked out login sign in account mfa authenticator", 85,
         {"normal": (60, 240), "low": (120, 480)}),
        ("Access & accounts", "system-access", "Access to a system",
         "Get access to an application, shared drive or mailbox.",
         "Access needs your manager's approval, and for finance and HR systems the system owner's "
         "too. We ask them for you.",
         "The system, drive or mailbox\nThe level of access you need (read or edit)\nWhy you need it",
         "permission shared drive mailbox folder application", 65, {}),
        ("Software", "software-install", "Software installation",
         "Install approved software, or ask for something new to be approved.",
         "Most approved software is in the Company Portal app for you to install yourself. New "
         "software is checked for security and licence cost first.",
         "The software name and version\nWhat you need it for",
         "install application app licence program", 55, {}),
        ("Network & phones", "wifi-vpn", "Wi-Fi and VPN problems",
         "Trouble connecting in the office or from home.",
         "Tell us where you are and what you see. Many home connection problems are fixed by "
         "restarting the VPN client; we can talk you through it.",
         "Where you are (which office, or at home)\nAny error message, word for word",
         "internet network connection vpn wifi wireless remote", 50, {}),
    ],
    "hr": [
        ("Pay & benefits", "payslip-question", "Payslip question",
         "Something on your payslip looks wrong or you do not understand it.",
         "Payslips are published on the 25th of each month. If your pay is wrong, we correct it in "
         "the next pay run or, if it makes a real difference to you, with an extra payment.",
         "Which month's payslip\nWhat looks wrong, and what you expected",
         "pay salary wage payroll tax deduction", 90, {}),
        ("Pay & benefits", "benefits-enquiry", "Benefits enquiry",
         "Pension, health insurance, cycle-to-work and other benefits.",
         "You can change most benefits once a year, or after a life event such as a new baby. We "
         "explain the options; we cannot give financial advice.",
         "Which benefit\nYour question or the change you want",
         "pension health insurance dental cycle scheme", 45, {}),
        ("Joining & leaving", "new-hire-onboarding", "New hire onboarding",
         "Welcome someone joining your team: contract, first day and equipment.",
         "Tell us at least two weeks before the start date. We send the contract, arrange the "
         "laptop and access with IT, and book the welcome session for their first morning.",
         "Name, role and start date\nTheir manager and team\nLaptop and systems they will need",
         "new starter joiner employee welcome first day onboarding", 75, {}),
        ("Joining & leaving", "leaver", "Someone is leaving",
         "Resignation, end of contract or retirement: the steps and paperwork.",
         "We confirm the last working day, work out holiday still owed, and arrange the return of "
         "equipment and the exit conversation.",
         "Name and last working day\nReason for leaving, if you can share it",
         "resignation resign leaving exit offboarding notice", 30, {}),
        ("Leave & absence", "leave-question", "Leave and absence",
         "Holiday, sickness, parental leave or time off for other reasons.",
         "Book holiday in the HR system yourself. Ask us about anything else: long sickness, "
         "parental leave, compassionate leave or a career break.",
         "The kind of leave\nThe dates, as far as you know them",
         "holiday vacation sick maternity paternity parental absence", 60, {}),
        ("Contracts", "contract-change", "Change to your contract",
         "Hours, role, location or working pattern change.",
         "Your manager needs to agree the change first. We then send you a letter confirming the new "
         "terms, usually within a week.",
         "What is changing and from when\nYour manager's name",
         "flexible working part time hours promotion relocation", 35, {}),
        ("Contracts", "employment-letter", "Employment letter",
         "A letter confirming your job and salary, for a mortgage, visa or rental.",
         "We write letters for banks, landlords and embassies. Tell us who it is for and whether it "
         "must mention your salary.",
         "Who the letter is for\nWhether to include your salary",
         "reference mortgage visa proof of employment", 25, {}),
    ],
    "facilities": [
        ("Getting around", "parking-permit", "Parking permit",
         "Apply for a car, motorbike or bicycle parking space.",
         "Spaces are limited and allocated by need first: blue badge holders, then car sharers, "
         "then everyone else by waiting list. Bicycle spaces are always available.",
         "Vehicle registration\nWhich office and which days you come in",
         "car park space vehicle bike bicycle garage", 80, {}),
        ("Getting around", "access-badge-facilities", "Visitor arrangements",
         "Expecting guests? We sign them in and show them the way.",
         "Register visitors by 4 pm the day before so reception has their passes ready. Groups of "
         "more than ten need a meeting room booking too.",
         "Visitor names and companies\nDate, time and who they are meeting",
         "guest visitor reception sign in", 40, {}),
        ("Repairs", "building-repair", "Building repair",
         "Something broken in the building: lights, doors, heating, toilets, kitchens.",
         "Report anything unsafe straight away by phone. For everything else, tell us where it is "
         "and we will send someone.",
         "Where exactly (floor and room)\nWhat is wrong",
         "broken light heating air conditioning leak toilet kitchen maintenance", 65,
         {"urgent": (15, 60)}),
        ("Workplace", "desk-setup", "Desk and chair setup",
         "A desk move, a better chair, or a workstation assessment.",
         "We do a workstation assessment for everyone who asks and provide what it recommends, such "
         "as a footrest, a standing desk or a different chair.",
         "Where you sit\nWhat you need, or any discomfort you have",
         "furniture ergonomic standing desk chair monitor arm", 45, {}),
        ("Workplace", "meeting-room", "Meeting room and event setup",
         "Book a large room, or arrange catering and setup for an event.",
         "Small rooms are bookable in your calendar. For rooms over twenty people, catering or a "
         "special layout, ask us at least three working days ahead.",
         "Date, time and number of people\nCatering or equipment needed",
         "room booking event catering conference", 50, {}),
        ("Workplace", "post-deliveries", "Post and deliveries",
         "Send a parcel, or find one that was delivered for you.",
         "Incoming post is in the post room by 11 am. For outgoing couriers, tell us the size and "
         "the deadline and we book the cheapest service that makes it.",
         "What you are sending and where\nThe deadline",
         "parcel courier mail package delivery", 30, {}),
    ],
    "finance": [
        ("Expenses", "expense-claim", "Expense claim",
         "Get paid back for money you spent on company business.",
         "Submit claims with receipts in the expenses app within 60 days. Approved claims are paid "
         "in the next weekly payment run, every Thursday.",
         "What you bought and why\nThe receipt\nThe cost centre or project",
         "reimbursement receipt travel claim refund money back", 90, {}),
        ("Expenses", "corporate-card", "Company credit card",
         "Apply for a company card, change its limit, or report it lost.",
         "Cards are for people who travel or buy regularly for their team. Report a lost card to the "
         "bank first, then to us.",
         "New card, limit change, or lost card\nYour manager's approval",
         "credit card amex visa limit", 35, {"urgent": (30, 240)}),
        ("Paying suppliers", "invoice-payment", "Supplier invoice payment",
         "Chase or query the payment of a supplier's invoice.",
         "We pay approved invoices on 30-day terms. If a supplier says they have not been paid, "
         "tell us the invoice number and we check where it is.",
         "Supplier name and invoice number\nThe amount and due date",
         "invoice bill supplier payment overdue vendor", 55, {}),
        ("Budgets", "budget-report", "Budget report",
         "Understand your cost centre's spending against budget.",
         "Budget holders get a monthly report. We are happy to walk you through it or explain a "
         "line you do not recognise.",
         "Your cost centre\nThe month and the line you are asking about",
         "forecast spend cost centre variance", 30, {}),
        ("Budgets", "new-cost-centre", "New cost centre",
         "Set up a cost centre or project code for new work.",
         "New cost centres need the approval of the budget owner's director. Project codes for "
         "existing cost centres are set up the same day.",
         "The name and purpose\nThe budget owner",
         "project code accounting", 15, {}),
        ("Paying suppliers", "travel-advance", "Travel advance",
         "Money in advance for a long or expensive business trip.",
         "Advances are for trips where you would otherwise pay a large sum yourself. Whatever you do "
         "not spend is taken off your next claim.",
         "Trip dates and destination\nThe amount and what it covers",
         "trip advance cash per diem", 10, {}),
    ],
    "legal": [
        ("Contracts", "contract-review", "Contract review",
         "We review a contract before you sign it: customers, suppliers, partners.",
         "Send the contract in an editable format as early as you can. Standard agreements on our "
         "own templates are quick; the other side's paper takes longer.",
         "The contract, in Word if possible\nThe deadline and why it matters\nThe commercial terms agreed",
         "agreement sign negotiate terms msa", 85, {"normal": (960, 7200)}),
        ("Contracts", "nda", "Non-disclosure agreement",
         "An NDA before sharing confidential information.",
         "Use our standard NDA from the template library; if the other side wants changes or their "
         "own NDA, send it to us.",
         "Who the other party is\nWhat you will share, in a sentence",
         "confidentiality nda mutual", 60, {"normal": (240, 960)}),
        ("Data protection", "data-protection", "Data protection question",
         "Personal data, privacy notices, data requests from people.",
         "A request from someone for their own data must be answered within a month: send it to us "
         "the day it arrives.",
         "What personal data is involved\nAny deadline you have been given",
         "gdpr privacy personal data subject access request dpia", 45, {}),
        ("Advice", "legal-advice", "General legal question",
         "Anything that might have legal consequences and is not covered above.",
         "Ask early, before a problem grows. We will tell you quickly whether it needs more work.",
         "What happened, in a few sentences\nWho else is involved",
         "law advice dispute claim risk", 40, {}),
        ("Advice", "trademark", "Trademarks and intellectual property",
         "Names, logos, inventions and who owns what we create.",
         "Check with us before launching a new product name. We search registers and file "
         "applications where it is worth it.",
         "The name, logo or invention\nWhere and when it will be used",
         "ip trademark patent copyright brand name", 20, {}),
        ("Contracts", "employment-contract-review", "Employment terms question",
         "Advice for managers on notice periods, restrictive covenants and contract terms.",
         "HR owns the contracts; we advise when a term is unusual or disputed. Include the "
         "clause in question so we can answer quickly.",
         "The clause or term\nWhat you want to do and by when",
         "notice period covenant clause employment terms", 15, {}),
    ],
    "procurement": [
        ("Buying", "purchase-order", "Purchase order",
         "Raise a purchase order so a supplier can be paid.",
         "You need a purchase order before the supplier starts work. Orders over 10,000 need a "
         "second approver; over 50,000 a tender.",
         "Supplier, amount and what you are buying\nCost centre\nQuote from the supplier",
         "po buy order requisition quote", 75, {}),
        ("Suppliers", "new-supplier", "New supplier",
         "Set up a supplier we have not bought from before.",
         "We check the supplier's finances, security and sustainability before the first order. "
         "Small one-off purchases can use a company card instead.",
         "Supplier name and contact\nWhat you plan to buy and roughly how much",
         "vendor onboarding due diligence", 45, {}),
        ("Buying", "tender", "Tender or competitive quote",
         "Run a fair competition between suppliers for larger purchases.",
         "For purchases over 50,000 we run a tender with you: requirements, shortlist, scoring and "
         "award. Plan for four to eight weeks.",
         "What you need and by when\nBudget available",
         "rfp rfq bid competition sourcing", 20, {}),
        ("Suppliers", "supplier-issue", "Problem with a supplier",
         "A supplier is late, over budget or not delivering what was agreed.",
         "Tell us early; we know the contract and the account manager, and can escalate on your "
         "behalf.",
         "Supplier and order number\nWhat was agreed and what is happening",
         "vendor complaint late delivery escalation", 25, {}),
        ("Buying", "software-purchase", "Software subscription purchase",
         "Buy or renew a software subscription for your team.",
         "We check whether the company already has a licence you can use, then buy with IT's "
         "security approval.",
         "Product and number of users\nRenewal date if it is a renewal",
         "saas subscription licence renewal", 35, {}),
        ("Buying", "hardware-purchase", "Equipment purchase",
         "Buy equipment that IT does not supply, such as lab or studio gear.",
         "For laptops and phones ask IT instead. For anything else we find the best price and "
         "arrange delivery.",
         "What you need, with a link if you have one\nDelivery address and date",
         "equipment buy goods delivery", 15, {}),
    ],
    "security": [
        ("Access", "access-badge", "Access badge",
         "A new, replacement or changed building access badge.",
         "Lost badges are switched off as soon as you tell us. Collect new badges from the security "
         "desk with photo ID.",
         "New, lost or damaged badge\nWhich buildings and floors you need",
         "badge card pass door entry building access", 70, {}),
        ("Incidents", "report-incident", "Report a security incident",
         "Something happened that put people, buildings or information at risk.",
         "For an emergency, call the security desk now. Otherwise tell us what happened as soon as "
         "you can; reporting early is never wrong.",
         "What happened, where and when\nWho else knows",
         "incident theft breach lost data emergency", 50, {"urgent": (5, 120)}),
        ("Incidents", "phishing", "Suspicious e-mail",
         "An e-mail or message that looks like phishing.",
         "Use the Report button in your mail app, or forward it to us as an attachment. Do not click "
         "links or open attachments.",
         "When it arrived\nWhether you clicked anything or entered a password",
         "phishing spam scam suspicious email link", 60, {"normal": (60, 480)}),
        ("Advice", "security-review", "Security review",
         "Check a new system, supplier or data flow before it goes live.",
         "Ask at the start of a project, not a week before launch. Most reviews take a short "
         "questionnaire and one conversation.",
         "What is being built or bought\nWhat data it will hold",
         "risk assessment pen test vendor review", 25, {}),
        ("Access", "cctv-request", "CCTV footage request",
         "Footage from building cameras, for an incident or investigation.",
         "Footage is kept for 30 days and released only for a clear reason, such as an accident or "
         "a theft.",
         "Camera location, date and time\nThe reason",
         "camera video footage cctv", 10, {}),
        ("Advice", "travel-security", "Travel security advice",
         "Advice before travelling to a higher-risk country.",
         "Tell us two weeks before you go. We brief you on local risks and make sure we can reach "
         "you while you are away.",
         "Destination and dates\nWhere you will stay",
         "travel risk abroad trip safety", 15, {}),
    ],
    "communications": [
        ("Internal news", "intranet-news", "Intranet news story",
         "Publish news or an announcement for colleagues.",
         "Send a draft and tell us who needs to read it. We edit it for clarity and schedule it on "
         "the best day.",
         "Your draft or key points\nWho it is for and any date it must go out by",
         "announcement article news post newsletter", 55, {}),
        ("Internal news", "all-hands", "All-hands or town hall",
         "Plan an all-hands meeting or a slot in one.",
         "We run the agenda, the streaming and the questions. Slots are booked at least two weeks "
         "ahead.",
         "Topic and speaker\nHow long you need",
         "town hall meeting event presentation stream", 30, {}),
        ("Brand", "brand-design", "Design and brand materials",
         "Slides, posters, templates and anything with our logo on it.",
         "Templates for most things are in the brand library. For something new, tell us what it is "
         "for and we design it.",
         "What you need and where it will be used\nThe deadline",
         "logo design template slides poster graphics", 40, {}),
        ("External", "press-enquiry", "Press or media enquiry",
         "A journalist contacted you, or you want to talk to the media.",
         "Do not answer journalists yourself: pass them to us straight away, politely.",
         "Who contacted you and how\nWhat they asked",
         "press media journalist pr interview", 15, {"normal": (60, 480)}),
        ("External", "social-media", "Social media post",
         "Share news on the company's social media accounts.",
         "We plan posts a week ahead. Send the news, any pictures, and the people or companies to "
         "mention.",
         "What to share and why it matters\nPictures or links",
         "linkedin twitter instagram post social", 25, {}),
        ("Internal news", "leadership-message", "Message from leadership",
         "Help writing an e-mail or video message from a director to their teams.",
         "We draft with you, check it reads well on a phone and time it so it does not clash "
         "with other announcements.",
         "The message in a few sentences\nWho it is for and when it should go out",
         "email director ceo message announcement video", 20, {}),
    ],
    "data-analytics": [
        ("Reports", "dashboard-request", "New dashboard",
         "A dashboard to track something regularly.",
         "Tell us the decision the dashboard should support. We agree the measures with you first, "
         "then build and test it together.",
         "The decision or question\nWho will use it and how often",
         "dashboard report kpi metrics bi", 60, {}),
        ("Reports", "data-question", "One-off data question",
         "A number or analysis you need once.",
         "Many questions are answered by an existing dashboard: we will point you to it if so.",
         "The question, as precisely as you can\nThe date range",
         "analysis numbers query figures", 50, {}),
        ("Access", "warehouse-access", "Data warehouse access",
         "Access to query the data warehouse yourself.",
         "Access needs the data protection training and your manager's approval. We set you up with "
         "a starter workspace.",
         "Which data areas you need\nWhat you will use them for",
         "sql warehouse database access query", 35, {}),
        ("Reports", "report-fix", "A report looks wrong",
         "A figure on a dashboard or report does not look right.",
         "Tell us which report, which number, and what you expected. Wrong numbers are fixed first.",
         "The report and the number\nWhat you expected and why",
         "bug wrong number incorrect data quality", 40, {"normal": (240, 960)}),
        ("Access", "data-export", "Data export",
         "A file of data for another system or a partner.",
         "Exports with personal data need Legal's approval, which we ask for you.",
         "What data, for whom and in what format\nHow often",
         "csv extract export file", 20, {}),
        ("Reports", "metric-definition", "What does this metric mean?",
         "The definition and source of a figure used in reports.",
         "Every standard metric has one definition in the data catalogue; we point you to it or "
         "add it if it is missing.",
         "The metric and where you saw it",
         "definition kpi catalogue glossary measure", 15, {}),
    ],
    "customer-support": [
        ("Customers", "customer-escalation", "Customer escalation",
         "A customer problem that needs support's attention now.",
         "Tell us the customer and what they are experiencing. We take it from there and keep you "
         "updated.",
         "Customer name and account number\nWhat they are experiencing and since when",
         "customer complaint urgent escalate issue", 70, {}),
        ("Customers", "refund-approval", "Goodwill refund approval",
         "Approval to refund or credit a customer.",
         "Refunds up to 500 are approved the same day. Larger ones need the support manager.",
         "Customer, amount and reason\nAny previous credits",
         "refund credit compensation goodwill", 45, {}),
        ("Feedback", "product-feedback", "Customer feedback for product",
         "Pass on what a customer told you about the product.",
         "We group feedback weekly and share it with the product teams, with the customer's words.",
         "What the customer said, in their words\nWho the customer is",
         "feature request feedback idea", 30, {}),
        ("Knowledge", "help-article", "Help article update",
         "A help-centre article is wrong, missing or confusing.",
         "Tell us the article and what is wrong. We update articles within a week.",
         "The article link\nWhat should change",
         "knowledge base documentation help centre faq", 20, {}),
        ("Customers", "customer-training", "Customer training session",
         "Arrange a training session for a customer's team.",
         "Sessions are booked two weeks ahead and run online or on site.",
         "Customer and number of attendees\nPreferred dates",
         "training onboarding webinar session", 15, {}),
        ("Knowledge", "support-insights", "Support trends for your team",
         "What customers contact us about most, for your product area.",
         "We share a monthly summary of contact reasons; ask for a deeper look at one area.",
         "Your product area\nThe question you want answered",
         "trends contact reasons insights tickets volume", 15, {}),
    ],
}

# (department slug, label, person e-mail or None, mailbox, channel, service slug or None)
CONTACTS: list[tuple] = [
    ("it", "Service desk", None, "it-help@example.com", "#it-help", None),
    ("it", "Laptops and phones", "ivan@example.com", None, None, "new-laptop"),
    ("it", "IT manager", "iris@example.com", None, None, None),
    ("hr", "HR manager", "hugo@example.com", None, None, None),
    ("hr", "Payroll questions", None, "payroll@example.com", None, "payslip-question"),
    ("hr", "Joiners and leavers", None, "people@example.com", "#ask-hr", "new-hire-onboarding"),
    ("facilities", "Reception", None, "reception@example.com", None, None),
    ("facilities", "Urgent repairs (phone)", None, None, "+44 20 7946 0301", "building-repair"),
    ("finance", "Expenses team", None, "expenses@example.com", None, "expense-claim"),
    ("finance", "Accounts payable", None, "ap@example.com", None, "invoice-payment"),
    ("legal", "Contracts desk", None, "contracts@example.com", None, "contract-review"),
    ("legal", "Data protection officer", None, "dpo@example.com", None, "data-protection"),
    ("procurement", "Buying team", None, "buying@example.com", "#procurement", None),
    ("security", "Security desk (24/7)", None, None, "+44 20 7946 0999", None),
    ("security", "Phishing reports", None, "phishing@example.com", None, "phishing"),
    ("communications", "Newsroom", None, "news@example.com", "#comms", "intranet-news"),
    ("communications", "Press office", None, "press@example.com", None, "press-enquiry"),
    ("data-analytics", "Data help", None, "data@example.com", "#data-help", None),
    ("customer-support", "Escalations", None, "escalations@example.com", "#support-escalations",
     "customer-escalation"),
]

# (e-mail, name, title, department slug, time zone, membership role or None, portal admin)
FIXED_ACCOUNTS: list[tuple] = [
    ("erin@example.com", "Erin Walsh", "Account Executive", "sales", "Europe/London", None, False),
    ("ivan@example.com", "Ivan Petrov", "Service Desk Analyst", "it", "Europe/London", "agent", False),
    ("iris@example.com", "Iris Novak", "Head of IT Service", "it", "Europe/London", "manager", False),
    ("hugo@example.com", "Hugo Martin", "HR Manager", "hr", "Europe/London", "manager", False),
    ("ada@example.com", "Ada Lindqvist", "Intranet Administrator", "it", "Europe/London", None, True),
]

FIRST_NAMES = (
    "Aisha Akira Alejandro Amara Anders Ana Arjun Beatriz Bilal Camille Carlos Chen Chiara Dara "
    "David Dmitri Elena Emeka Emma Fatima Felix Freya Gabriel Grace Hamza Hana Ibrahim Ines Isaac "
    "Jamal Jana Javier Jin Joanna Jonas Julia Kai Karim Kavya Kofi Lars Leila Liam Lina Lucas Maja "
    "Malik Maria Mateo Mei Mia Mohammed Nadia Naomi Nikhil Noah Nora Olga Omar Oscar Priya Rafael "
    "Rania Rohan Ruth Sakura Samuel Sara Sean Sofia Tariq Thandiwe Tomas Valentina Wei Yara Yusuf Zoe"
).split()
LAST_NAMES = (
    "Abbott Adeyemi Ahmed Andersson Bakker Banerjee Becker Bianchi Brown Castillo Chen Costa Das "
    "Dubois Edwards Eriksson Fernandes Fischer Garcia Gupta Hansen Hassan Hughes Ibrahim Ivanova "
    "Jansen Jones Kaur Kelly Khan Kim Kowalski Kumar Larsen Lee Lopez Martin Mensah Meyer Moreau "
    "Murphy Nakamura Nguyen Novak Okafor Olsen Owusu Patel Pereira Petrov Popescu Quinn Reyes Rossi "
    "Santos Schmidt Silva Singh Smith Sorensen Suzuki Tanaka Taylor Thomas Torres Van Dijk Walsh "
    "Wang Weber Williams Wilson Wong Yamamoto Yilmaz Young Zhang"
).split()

TITLES = {
    "it": ["Service Desk Analyst", "Systems Engineer", "Network Engineer", "IT Asset Coordinator"],
    "hr": ["HR Advisor", "Payroll Specialist", "Talent Partner", "Benefits Coordinator"],
    "facilities": ["Facilities Coordinator", "Maintenance Technician", "Receptionist"],
    "finance": ["Accounts Payable Clerk", "Financial Analyst", "Management Accountant"],
    "legal": ["Commercial Lawyer", "Paralegal", "Privacy Counsel"],
    "procurement": ["Buyer", "Category Manager", "Supplier Manager"],
    "security": ["Security Officer", "Security Analyst", "Access Control Coordinator"],
    "communications": ["Internal Communications Lead", "Designer", "Content Editor"],
    "data-analytics": ["Data Analyst", "Analytics Engineer", "BI Developer"],
    "customer-support": ["Support Specialist", "Escalations Manager", "Knowledge Editor"],
    "sales": ["Account Executive", "Sales Development Rep", "Account Manager", "Sales Operations Analyst"],
}

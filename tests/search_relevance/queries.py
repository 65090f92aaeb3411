"""Everyday questions for the demo organisation, as people type them: questions, sentences,
typos, synonyms, British and American spellings. Each names the department that should
answer first and the services (s:slug) or articles (a:slug) that are a good answer.

Written from how colleagues ask, not from the demo's wording: where a query shares a word
with a service or an article it is the word anyone would use ("vpn", "payslip")."""

from __future__ import annotations

IT, HR, FAC, FIN, LEG = "it", "hr", "facilities", "finance", "legal"
PRO, SEC, COM, DAT, CUS = (
    "procurement", "security", "communications", "data-analytics", "customer-support",
)

VPN = {"s:wifi-vpn", "a:connect-to-the-vpn-from-home", "a:vpn-keeps-disconnecting"}
PRINTER = {"a:set-up-an-office-printer", "s:device-repair", "s:software-install"}
LAPTOP_BROKEN = {"s:device-repair", "a:laptop-broken-or-damaged"}
NEW_LAPTOP = {"s:new-laptop", "a:new-laptop-what-to-expect", "s:hardware-purchase"}
PASSWORD = {"s:password-reset", "a:reset-your-password"}
MFA = {"a:multi-factor-authentication-on-a-new-phone", "s:password-reset", "s:mobile-phone"}
OUTLOOK = {"a:outlook-not-syncing", "s:software-install", "s:system-access"}
PAYSLIP = {"s:payslip-question", "a:understanding-your-payslip"}
PENSION = {"s:benefits-enquiry", "a:pension"}
HOLIDAY = {"s:leave-question", "a:holiday-allowance-and-booking-leave"}
SICK = {"s:leave-question", "a:sick-leave"}
LEAVER = {"s:leaver", "a:leaving-the-company"}
PARENTAL = {"a:parental-leave", "s:leave-question", "s:benefits-enquiry"}
ONBOARD = {"s:new-hire-onboarding", "a:new-starter-checklist"}
LETTER = {"s:employment-letter", "a:employment-letter"}
PARKING = {"s:parking-permit", "a:parking-rules"}
ROOM = {"s:meeting-room", "a:booking-a-meeting-room"}
FAULT = {"s:building-repair", "a:report-a-building-fault"}
DESK = {"s:desk-setup", "a:desk-setup-and-ergonomics"}
POST = {"s:post-deliveries", "a:post-and-deliveries"}
EXPENSES = {"s:expense-claim", "a:expenses-policy", "a:how-to-submit-an-expense-claim"}
CARD = {"s:corporate-card", "a:corporate-card"}
INVOICE = {"s:invoice-payment", "a:getting-an-invoice-paid"}
ADVANCE = {"s:travel-advance", "a:travel-advances"}
NDA = {"s:nda", "a:when-do-you-need-an-nda"}
CONTRACT = {"s:contract-review", "a:getting-a-contract-reviewed"}
GDPR = {"s:data-protection", "a:personal-data-basics", "a:subject-access-requests"}
PO = {"s:purchase-order", "a:raising-a-purchase-order"}
SUPPLIER = {"s:new-supplier", "a:adding-a-new-supplier"}
SOFTWARE_BUY = {"s:software-purchase", "a:buying-software", "s:software-install"}
PHISHING = {"s:phishing", "a:spotting-phishing"}
LOST_DEVICE = {"a:lost-or-stolen-device", "s:report-incident", "s:mobile-phone"}
BADGE = {"s:access-badge", "a:lost-access-badge", "s:access-badge-facilities"}
TRAVEL_SEC = {"s:travel-security", "a:travelling-abroad-with-work-devices"}
INTRANET = {"s:intranet-news", "a:getting-a-story-on-the-intranet"}
BRAND = {"s:brand-design", "a:logo-and-brand-templates"}
PRESS = {"s:press-enquiry", "a:if-a-journalist-contacts-you"}
WAREHOUSE = {"s:warehouse-access", "a:data-warehouse-access"}
DASHBOARD = {"s:dashboard-request", "a:requesting-a-dashboard"}
ESCALATION = {"s:customer-escalation", "a:escalating-a-customer-issue"}

QUERIES: list[tuple[str, str, set[str]]] = [
    # IT
    ("vpn not working", IT, VPN),
    ("the vpn keeps dropping", IT, VPN),
    ("how do I connect to the vpn from home", IT, VPN),
    ("vpn", IT, VPN),
    ("cant get on the vpn in a hotel", IT, VPN),
    ("globalprotect wont connect", IT, VPN),
    ("wifi is down in the office", IT, {"s:wifi-vpn", "a:guest-wifi"}),
    ("guest wifi password for a visitor", IT, {"a:guest-wifi", "s:wifi-vpn"}),
    ("wireless keeps disconnecting", IT, VPN | {"a:guest-wifi"}),
    ("printer", IT, PRINTER),
    ("printer not working", IT, PRINTER),
    ("how do I print from my mac", IT, PRINTER),
    ("add the office printer to my laptop", IT, PRINTER),
    ("printing double sided follow me", IT, PRINTER),
    ("printr offline", IT, PRINTER),
    ("my laptop screen is cracked", IT, LAPTOP_BROKEN),
    ("spilled coffee on my laptop", IT, LAPTOP_BROKEN),
    ("laptop won't turn on", IT, LAPTOP_BROKEN),
    ("broken keyboard", IT, LAPTOP_BROKEN),
    ("laptop battery dies quickly", IT, LAPTOP_BROKEN),
    ("my computer is very slow", IT, LAPTOP_BROKEN | NEW_LAPTOP),
    ("I need a new laptop", IT, NEW_LAPTOP),
    ("macbook for a developer", IT, NEW_LAPTOP),
    ("when is my laptop due for replacement", IT, NEW_LAPTOP),
    ("laptp", IT, NEW_LAPTOP | LAPTOP_BROKEN),
    ("forgot my password", IT, PASSWORD),
    ("locked out of my account", IT, PASSWORD),
    ("password expired", IT, PASSWORD),
    ("pasword reset", IT, PASSWORD),
    ("authenticator app on my new phone", IT, MFA),
    ("moving 2fa to another phone", IT, MFA),
    ("outlook", IT, OUTLOOK),
    ("outlook not syncing", IT, OUTLOOK),
    ("my mailbox is full", IT, OUTLOOK),
    ("not receiving emails", IT, OUTLOOK),
    ("calendar invites missing in outlook", IT, OUTLOOK),
    ("outlok", IT, OUTLOOK),
    ("install an application on my laptop", IT, {"s:software-install", "s:software-purchase"}),
    ("I need access to the shared drive", IT, {"s:system-access"}),
    ("work phone", IT, {"s:mobile-phone", "a:multi-factor-authentication-on-a-new-phone"}),
    ("new sim card for my mobile", IT, {"s:mobile-phone"}),
    # HR
    ("payslip", HR, PAYSLIP),
    ("payslp", HR, PAYSLIP),
    ("wrong tax code on my pay", HR, PAYSLIP),
    ("when is pay day", HR, PAYSLIP),
    ("my salary is wrong this month", HR, PAYSLIP),
    ("what are the deductions on my wage slip", HR, PAYSLIP),
    ("national insurance number", HR, PAYSLIP),
    ("who do I ask about my pension", HR, PENSION),
    ("pension contributions", HR, PENSION),
    ("opt out of the pension scheme", HR, PENSION),
    ("retirement savings", HR, PENSION),
    ("dental insurance", HR, {"s:benefits-enquiry", "a:pension"}),
    ("cycle to work scheme", HR, {"s:benefits-enquiry"}),
    ("how many holidays do I have left", HR, HOLIDAY),
    ("book annual leave", HR, HOLIDAY),
    ("carry over vacation days", HR, HOLIDAY),
    ("time off for a wedding", HR, HOLIDAY),
    ("I'm sick today", HR, SICK),
    ("off ill with flu", HR, SICK),
    ("doctor's fit note", HR, SICK),
    ("leaver", HR, LEAVER),
    ("I want to resign", HR, LEAVER),
    ("handing in my notice", HR, LEAVER),
    ("resigning what happens next", HR, LEAVER),
    ("last day at the company", HR, LEAVER),
    ("quitting my job", HR, LEAVER),
    ("maternity leave", HR, PARENTAL),
    ("paternity pay", HR, PARENTAL),
    ("we are having a baby", HR, PARENTAL),
    ("adoption leave", HR, PARENTAL),
    ("new starter on monday", HR, ONBOARD),
    ("onboarding a new hire", HR, ONBOARD),
    ("induction for a joiner", HR, ONBOARD),
    ("proof of employment for a mortgage", HR, LETTER),
    ("reference letter", HR, LETTER),
    ("visa letter from work", HR, LETTER),
    ("change my working hours to part time", HR, {"s:contract-change"}),
    ("flexible working request", HR, {"s:contract-change"}),
    # Facilities
    ("parking", FAC, PARKING),
    ("where can I park my car", FAC, PARKING),
    ("ev charging at the office", FAC, PARKING),
    ("bike storage", FAC, PARKING),
    ("car park permit", FAC, PARKING),
    ("book a meeting room", FAC, ROOM),
    ("reserve a conference room for friday", FAC, ROOM),
    ("boardroom booking", FAC, ROOM),
    ("catering for an event", FAC, ROOM),
    ("the heating is broken", FAC, FAULT),
    ("toilet is leaking", FAC, FAULT),
    ("lights not working on the third floor", FAC, FAULT),
    ("air conditioning too cold", FAC, FAULT),
    ("the lift is out of order", FAC, FAULT),
    ("standing desk", FAC, DESK),
    ("my chair gives me back pain", FAC, DESK),
    ("ergonomic assessment", FAC, DESK),
    ("monitor arm for my desk", FAC, DESK),
    ("parcel for me at reception", FAC, POST),
    ("send a courier", FAC, POST),
    ("personal deliveries to the office", FAC, POST),
    # Finance
    ("expenses", FIN, EXPENSES),
    ("claim back a train ticket", FIN, EXPENSES),
    ("how do I get reimbursed for a hotel", FIN, EXPENSES),
    ("mileage claim", FIN, EXPENSES),
    ("what can I expense for meals", FIN, EXPENSES),
    ("expnses policy", FIN, EXPENSES),
    ("lost my company credit card", FIN, CARD | BADGE),
    ("amex limit", FIN, CARD),
    ("corporate card", FIN, CARD),
    ("supplier invoice not paid", FIN, INVOICE),
    ("overdue invoice from a vendor", FIN, INVOICE),
    ("accounts payable", FIN, INVOICE),
    ("cash advance for a trip", FIN, ADVANCE),
    ("per diem abroad", FIN, ADVANCE | TRAVEL_SEC),
    ("foreign currency for travel", FIN, ADVANCE),
    ("budget forecast", FIN, {"s:budget-report"}),
    ("new cost centre", FIN, {"s:new-cost-centre"}),
    ("new cost center for a project", FIN, {"s:new-cost-centre"}),
    # Legal
    ("nda for a partner", LEG, NDA),
    ("do we need a non-disclosure agreement", LEG, NDA),
    ("confidentiality agreement", LEG, NDA),
    ("mutual nda", LEG, NDA),
    ("can legal check this contract", LEG, CONTRACT),
    ("review of terms and conditions", LEG, CONTRACT),
    ("gdpr", LEG, GDPR),
    ("personal data question", LEG, GDPR),
    ("someone wants a copy of their data", LEG, GDPR),
    ("subject access request", LEG, GDPR),
    ("privacy question about customer data", LEG, GDPR),
    ("trademark our product name", LEG, {"s:trademark"}),
    ("copyright on images", LEG, {"s:trademark"}),
    # Procurement
    ("raise a purchase order", PRO, PO),
    ("how do I get a po number", PRO, PO | INVOICE),
    ("buy something for the team", PRO, PO | {"s:hardware-purchase"}),
    ("onboard a new vendor", PRO, SUPPLIER),
    ("add a supplier", PRO, SUPPLIER),
    ("buying a saas subscription", PRO, SOFTWARE_BUY),
    ("software licence renewal", PRO, SOFTWARE_BUY),
    ("software license purchase", PRO, SOFTWARE_BUY),
    ("run a tender", PRO, {"s:tender"}),
    ("request for proposal", PRO, {"s:tender"}),
    # Security
    ("phishing", SEC, PHISHING),
    ("I clicked a link in a scam email", SEC, PHISHING),
    ("suspicious email", SEC, PHISHING),
    ("is this email fake", SEC, PHISHING),
    ("phising", SEC, PHISHING),
    ("my laptop was stolen", SEC, LOST_DEVICE),
    ("lost my phone on the train", SEC, LOST_DEVICE),
    ("lost my badge", SEC, BADGE),
    ("forgot my access card", SEC, BADGE),
    ("door pass not working", SEC, BADGE),
    ("travelling abroad with my laptop", SEC, TRAVEL_SEC),
    ("safety advice for a trip overseas", SEC, TRAVEL_SEC),
    ("cctv footage", SEC, {"s:cctv-request"}),
    ("report a data breach", SEC, {"s:report-incident"}),
    # Communications
    ("a journalist called me", COM, PRESS),
    ("press enquiry", COM, PRESS),
    ("reporter wants an interview", COM, PRESS),
    ("company logo", COM, BRAND),
    ("powerpoint template", COM, BRAND),
    ("brand colours", COM, BRAND),
    ("brand colors", COM, BRAND),
    ("put a story on the intranet", COM, INTRANET),
    ("newsletter announcement", COM, INTRANET),
    ("linkedin post", COM, {"s:social-media"}),
    ("town hall meeting", COM, {"s:all-hands"}),
    # Data & Analytics
    ("sql access to the warehouse", DAT, WAREHOUSE),
    ("snowflake access", DAT, WAREHOUSE),
    ("new dashboard", DAT, DASHBOARD),
    ("power bi report", DAT, DASHBOARD),
    ("kpi chart for my team", DAT, DASHBOARD | {"s:metric-definition"}),
    ("numbers in a report look wrong", DAT, {"s:report-fix"}),
    ("export data to csv", DAT, {"s:data-export"}),
    ("what does this metric mean", DAT, {"s:metric-definition"}),
    # Customer Support
    ("unhappy customer escalation", CUS, ESCALATION),
    ("angry customer complaint", CUS, ESCALATION),
    ("goodwill refund for a customer", CUS, {"s:refund-approval"}),
    ("customer feature request", CUS, {"s:product-feedback"}),
    ("update a help centre article", CUS, {"s:help-article"}),
    ("webinar training for a customer", CUS, {"s:customer-training"}),
]

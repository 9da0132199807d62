"""The demo members the assistant's tests talk as: the README's answers for the billing service's seed."""
MARIA = {"member": "M100001", "medical": "2000100001", "premium": "2000100002", "dob": "1985-04-12",
         "zip": "94612", "mrn": "11000001", "medical_balance": 14090, "premium_balance": 38900}

-- Demo data for local runs and tests: Karnataka > Dakshina Kannada, 5 clinics, 6 doctors.
-- Idempotent: fixed ids with INSERT OR IGNORE, so loading it twice changes nothing.
-- Clinic 1 has two doctors who share an initial (Kavya, Kiran): token prefixes KS and KR, stored once.
INSERT OR IGNORE INTO states (id, name) VALUES (1, 'Karnataka');
INSERT OR IGNORE INTO districts (id, state_id, name) VALUES (1, 1, 'Dakshina Kannada');
INSERT OR IGNORE INTO clinics (id, district_id, name, address, timezone, phone) VALUES
  (1, 1, 'Hampankatta Family Clinic', 'Hampankatta, Mangaluru 575001', 'Asia/Kolkata', '+918242440001'),
  (2, 1, 'Puttur Town Clinic', 'Main Road, Puttur 574201', 'Asia/Kolkata', '+918251230002'),
  (3, 1, 'Bantwal Health Centre', 'B C Road, Bantwal 574211', 'Asia/Kolkata', '+918255230003'),
  (4, 1, 'Ullal Seaside Clinic', 'Ullal, Mangaluru 575020', 'Asia/Kolkata', '+918242460004'),
  (5, 1, 'Moodbidri Care Clinic', 'Jain Pete, Moodbidri 574227', 'Asia/Kolkata', '+918258230005');
INSERT OR IGNORE INTO specializations (id, name) VALUES
  (1, 'General Physician'),
  (2, 'Paediatrics'),
  (3, 'Gynaecology'),
  (4, 'Orthopaedics'),
  (5, 'Dermatology');
INSERT OR IGNORE INTO doctors (id, clinic_id, name, specialization_id, token_prefix) VALUES
  (1, 1, 'Dr. Kavya Shetty', 1, 'KS'),
  (2, 1, 'Dr. Kiran Rao', 2, 'KR'),
  (3, 2, 'Dr. Anil Bhat', 1, 'A'),
  (4, 3, 'Dr. Meera Nayak', 3, 'M'),
  (5, 4, 'Dr. Suresh Pai', 4, 'S'),
  (6, 5, 'Dr. Fathima Begum', 5, 'F');
-- Dr. Meera Nayak works mornings, Monday to Friday; everyone else keeps the default Mon-Sat 09:00-17:00.
INSERT OR IGNORE INTO doctor_hours (id, doctor_id, weekday, start_minute, end_minute, slot_minutes) VALUES
  (1, 4, 1, 600, 780, 15),
  (2, 4, 2, 600, 780, 15),
  (3, 4, 3, 600, 780, 15),
  (4, 4, 4, 600, 780, 15),
  (5, 4, 5, 600, 780, 15);
-- Names in Kannada and Hindi. UPDATEs rather than columns in the INSERTs above, so a
-- database seeded before the languages migration gets them too; running twice changes nothing.
UPDATE states SET display_names = '{"kn":"ಕರ್ನಾಟಕ","hi":"कर्नाटक"}' WHERE id = 1;
UPDATE districts SET display_names = '{"kn":"ದಕ್ಷಿಣ ಕನ್ನಡ","hi":"दक्षिण कन्नड़"}' WHERE id = 1;
UPDATE clinics SET display_names = '{"kn":"ಹಂಪನಕಟ್ಟೆ ಫ್ಯಾಮಿಲಿ ಕ್ಲಿನಿಕ್","hi":"हंपनकट्टा फ़ैमिली क्लिनिक"}' WHERE id = 1;
UPDATE clinics SET display_names = '{"kn":"ಪುತ್ತೂರು ಟೌನ್ ಕ್ಲಿನಿಕ್","hi":"पुत्तूर टाउन क्लिनिक"}' WHERE id = 2;
UPDATE clinics SET display_names = '{"kn":"ಬಂಟ್ವಾಳ ಆರೋಗ್ಯ ಕೇಂದ್ರ","hi":"बंटवाल हेल्थ सेंटर"}' WHERE id = 3;
UPDATE clinics SET display_names = '{"kn":"ಉಳ್ಳಾಲ ಸೀಸೈಡ್ ಕ್ಲಿನಿಕ್","hi":"उल्लाल सीसाइड क्लिनिक"}' WHERE id = 4;
UPDATE clinics SET display_names = '{"kn":"ಮೂಡುಬಿದಿರೆ ಕೇರ್ ಕ್ಲಿನಿಕ್","hi":"मूडबिद्री केयर क्लिनिक"}' WHERE id = 5;
UPDATE specializations SET display_names = '{"kn":"ಸಾಮಾನ್ಯ ವೈದ್ಯರು","hi":"सामान्य चिकित्सक"}' WHERE id = 1;
UPDATE specializations SET display_names = '{"kn":"ಮಕ್ಕಳ ವೈದ್ಯರು","hi":"बाल रोग विशेषज्ञ"}' WHERE id = 2;
UPDATE specializations SET display_names = '{"kn":"ಸ್ತ್ರೀರೋಗ ತಜ್ಞರು","hi":"स्त्री रोग विशेषज्ञ"}' WHERE id = 3;
UPDATE specializations SET display_names = '{"kn":"ಮೂಳೆ ತಜ್ಞರು","hi":"हड्डी रोग विशेषज्ञ"}' WHERE id = 4;
UPDATE specializations SET display_names = '{"kn":"ಚರ್ಮರೋಗ ತಜ್ಞರು","hi":"त्वचा रोग विशेषज्ञ"}' WHERE id = 5;
-- Reception hours: 0 on the phone line reaches the clinic's `phone` during them.
UPDATE clinics SET opening_hours = '1-6 0830-1800' WHERE id BETWEEN 1 AND 5 AND opening_hours IS NULL;

"""Builders for the writer tests: the fixture plan of Đảng ủy phường Lê Chân, built by hand."""

from __future__ import annotations

from datetime import date

from kehoach.plans.importer.result import (
    Assignment,
    Channel,
    Citation,
    Duty,
    ParsedPlan,
    Recipient,
    Section,
    Signature,
    Topic,
)

TITLE = (
    "tuyên truyền thực hiện Chỉ thị số 58-CT/TW của Ban Bí thư và các Chương trình hành động của "
    "Ban Thường vụ Thành ủy"
)
BASIS = [
    (
        "Thực hiện Công văn số 806-CV/BTGDVTU, ngày 15/5/2026 Ban Tuyên giáo và Dân vận Thành ủy "
        "về tuyên truyền thực hiện Chỉ thị số 58-CT/TW của Ban Bí thư và các Chương trình hành "
        "động của Ban Thường vụ Thành ủy, Ban Thường vụ Đảng ủy phường xây dựng Kế hoạch tuyên "
        "truyền, cụ thể như sau:"
    ),
]
PURPOSES = [
    (
        "Tuyên truyền sâu rộng nội dung Chỉ thị số 58-CT/TW, ngày 10/01/2026 của Ban Bí thư và "
        "các Chương trình hành động số 20-CTr/TU ngày 24/4/2026, số 21-CTr/TU ngày 02/5/2026 của "
        "Ban Thường vụ Thành ủy đến toàn thể cán bộ, đảng viên, đoàn viên, hội viên và Nhân dân "
        "trên địa bàn phường."
    ),
    (
        "Nâng cao nhận thức, trách nhiệm của cấp ủy, chính quyền, Mặt trận Tổ quốc, các tổ chức "
        "chính trị - xã hội, cán bộ, đảng viên và Nhân dân trong việc triển khai thực hiện các "
        "chủ trương của Đảng về công tác tuyên truyền, giáo dục chính trị tư tưởng; phát triển "
        "kinh tế - xã hội; xây dựng và phát huy vai trò đội ngũ doanh nhân trong thời kỳ mới."
    ),
    (
        "Tạo sự thống nhất trong Đảng, đồng thuận trong xã hội; cổ vũ tinh thần đổi mới sáng tạo,"
        " ý chí tự lực, tự cường, khát vọng phát triển quê hương, góp phần thực hiện thắng lợi "
        "các mục tiêu phát triển kinh tế - xã hội của thành phố và của phường."
    ),
    (
        "Chủ động đấu tranh phản bác các quan điểm sai trái, thông tin xấu độc; định hướng dư "
        "luận xã hội, củng cố niềm tin của Nhân dân đối với sự lãnh đạo của Đảng và sự quản lý, "
        "điều hành của Nhà nước."
    ),
]
REQUIREMENTS = [
    (
        "Công tác tuyên truyền phải được triển khai chủ động, đồng bộ, kịp thời, có trọng tâm, "
        "trọng điểm, bám sát định hướng của Thành ủy và Đảng ủy phường; bảo đảm tính thống nhất, "
        "hiệu quả trong toàn hệ thống chính trị."
    ),
    (
        "Nội dung tuyên truyền bảo đảm chính xác, toàn diện, có chiều sâu, dễ tiếp cận; hình thức"
        " phong phú, linh hoạt, kết hợp chặt chẽ giữa phương thức truyền thống và hiện đại, trong"
        " đó chú trọng phát huy hiệu quả của các nền tảng số, mạng xã hội và truyền thông đa "
        "phương tiện."
    ),
    (
        "Gắn công tác tuyên truyền với thực hiện nhiệm vụ chính trị, phong trào thi đua yêu nước,"
        " các cuộc vận động tại đơn vị; phát huy vai trò nêu gương của cán bộ, đảng viên, người "
        "đứng đầu."
    ),
]
TOPICS = [
    (
        (
            "Tuyên truyền Chỉ thị số 58-CT/TW ngày 10/01/2026 của Ban Bí thư về tăng cường sự "
            "lãnh đạo của Đảng đối với công tác tuyên truyền, giáo dục chính trị, tư tưởng, pháp "
            "luật cho công nhân trong tình hình mới"
        ),
        [
            (
                "Tuyên truyền sâu rộng về vị trí, vai trò, ý nghĩa và tầm quan trọng của công tác"
                " tuyên truyền, giáo dục chính trị, tư tưởng, pháp luật cho công nhân trong tình "
                "hình mới; khẳng định đây là nhiệm vụ thường xuyên, lâu dài, có ý nghĩa quan "
                "trọng trong xây dựng giai cấp công nhân Việt Nam hiện đại, lớn mạnh, đáp ứng yêu"
                " cầu công nghiệp hóa, hiện đại hóa đất nước và hội nhập quốc tế. Nâng cao nhận "
                "thức, trách nhiệm của cấp ủy, chính quyền, Mặt trận Tổ quốc, các tổ chức chính "
                "trị - xã hội, doanh nghiệp và người sử dụng lao động trong chăm lo xây dựng đội "
                "ngũ công nhân vững vàng về chính trị, tư tưởng, đạo đức, trình độ chuyên môn, kỹ"
                " năng nghề nghiệp và tác phong lao động công nghiệp."
            ),
            (
                "Đẩy mạnh tuyên truyền tư tưởng Hồ Chí Minh; chủ nghĩa Mác - Lênin; đường lối, "
                "chủ trương của Đảng; chính sách, pháp luật của Nhà nước; truyền thống yêu nước, "
                "tinh thần đoàn kết dân tộc, ý chí tự lực, tự cường, khát vọng phát triển đất "
                "nước phồn vinh, hạnh phúc. Tăng cường giáo dục lý tưởng cách mạng, đạo đức, lối "
                "sống văn hóa; xây dựng niềm tin của công nhân, người lao động đối với sự lãnh "
                "đạo của Đảng, sự quản lý, điều hành của Nhà nước; phát huy vai trò tiên phong, "
                "sáng tạo của giai cấp công nhân trong lao động sản xuất, phát triển kinh tế - xã"
                " hội và xây dựng quê hương, đất nước."
            ),
            (
                "Tập trung tuyên truyền nâng cao nhận thức chính trị, bản lĩnh, ý thức chấp hành "
                "pháp luật, kỷ luật lao động, tác phong công nghiệp, văn hóa ứng xử trong môi "
                "trường làm việc; nâng cao tinh thần trách nhiệm, ý thức tổ chức kỷ luật, tác "
                "phong làm việc khoa học, chuyên nghiệp. Chú trọng tuyên truyền nâng cao khả năng"
                " nhận diện, cảnh giác và đấu tranh phản bác các quan điểm sai trái, thù địch; "
                "ngăn chặn các hành vi lợi dụng vấn đề lao động, việc làm, tiền lương, bảo hiểm "
                "xã hội để kích động, gây mất ổn định an ninh chính trị, trật tự an toàn xã hội "
                "và quan hệ lao động."
            ),
            (
                "Tuyên truyền sâu rộng các chủ trương, chính sách, quy định pháp luật liên quan "
                "trực tiếp đến quyền, lợi ích hợp pháp, chính đáng của người lao động như: Bộ "
                "luật Lao động, Luật Bảo hiểm xã hội, Luật Công đoàn, Luật Việc làm, Luật An toàn"
                " vệ sinh lao động; các quy định về tiền lương, thời giờ làm việc, thời giờ nghỉ "
                "ngơi, bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp, chăm sóc sức khỏe, "
                "an toàn lao động, phòng chống tai nạn lao động và bệnh nghề nghiệp. Tăng cường "
                "tuyên truyền xây dựng quan hệ lao động hài hòa, ổn định, tiến bộ; nâng cao năng "
                "lực đối thoại, thương lượng tập thể và giám sát việc thực thi pháp luật trong "
                "doanh nghiệp."
            ),
            (
                "Đẩy mạnh tuyên truyền trách nhiệm của các cấp, các ngành, cơ quan, đơn vị, doanh"
                " nghiệp trong chăm lo đời sống vật chất, tinh thần cho công nhân, người lao "
                "động; tạo điều kiện để người lao động được học tập, nâng cao trình độ chuyên "
                "môn, kỹ năng nghề nghiệp, tiếp cận thông tin và tham gia các hoạt động văn hóa, "
                "thể thao, sinh hoạt cộng đồng. Quan tâm tuyên truyền các hoạt động chăm lo nhà "
                "ở, việc làm, thu nhập, môi trường làm việc, phúc lợi xã hội cho người lao động; "
                "kịp thời biểu dương, nhân rộng các mô hình hay, cách làm sáng tạo, hiệu quả "
                "trong công tác tuyên truyền, giáo dục chính trị tư tưởng, pháp luật cho công "
                "nhân và người lao động."
            ),
            (
                "Tăng cường tuyên truyền về vai trò của tổ chức công đoàn, Mặt trận Tổ quốc và "
                "các đoàn thể chính trị - xã hội trong đại diện, chăm lo, bảo vệ quyền và lợi ích"
                " hợp pháp, chính đáng của người lao động; vận động công nhân, người lao động "
                "tích cực hưởng ứng các phong trào thi đua yêu nước, lao động giỏi, lao động sáng"
                " tạo, góp phần xây dựng đội ngũ công nhân phường Lê Chân ngày càng phát triển "
                "toàn diện."
            ),
        ],
    ),
    (
        (
            "Tuyên truyền Chương trình hành động số 20-CTr/TU, ngày 24/4/2026 của Ban Thường vụ "
            "Thành ủy thực hiện Kết luận số 18-KL/TW ngày 02/4/2026 của Ban Chấp hành Trung ương "
            "Đảng khóa XIV về kế hoạch phát triển kinh tế - xã hội, tài chính quốc gia và vay, "
            "trả nợ công, đầu tư công trung hạn 5 năm 2026 - 2030 gắn với thực hiện mục tiêu phấn"
            " đấu tăng trưởng “2 con số”"
        ),
        [
            (
                "Tuyên truyền ý nghĩa, tầm quan trọng của Chương trình hành động số 20-CTr/TU "
                "ngày 24/4/2026 của Ban Thường vụ Thành ủy; qua đó thống nhất nhận thức trong "
                "toàn hệ thống chính trị về mục tiêu tăng trưởng từ 13%/năm trở lên, phấn đấu đạt"
                " 14%/năm; xác định đây là nhiệm vụ chính trị trọng tâm; đổi mới tư duy phát "
                "triển, nâng cao trách nhiệm người đứng đầu; cụ thể hóa mục tiêu vào nghị quyết, "
                "chương trình hằng năm; tăng cường kỷ luật hành chính, phát huy tinh thần dám "
                "nghĩ, dám làm; tạo sự đồng thuận xã hội, khơi dậy khát vọng phát triển, tinh "
                "thần đổi mới sáng tạo, ý chí tự lực, tự cường; cổ vũ cán bộ, đảng viên, cộng "
                "đồng doanh nghiệp và Nhân dân tích cực tham gia thực hiện thắng lợi các mục tiêu"
                " phát triển của thành phố và phường."
            ),
            (
                "Tuyên truyền mục tiêu tổng quát và 35 chỉ tiêu chủ yếu được đề ra trong Chương "
                "trình hành động số 20-CTr/TU; chú trọng làm nổi bật các chỉ tiêu mang tính đột "
                "phá và có ý nghĩa xã hội cao như: Tăng trưởng GRDP; thu ngân sách nhà nước; kim "
                "ngạch xuất khẩu; sản lượng hàng hóa qua cảng; số lượng doanh nghiệp thành lập "
                "mới; tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo; xây dựng nhà ở xã hội; "
                "xóa nghèo..."
            ),
            (
                "Tập trung tuyên truyền những nhiệm vụ, giải pháp trọng tâm của Chương trình hành"
                " động; nhất là 9 nhóm nhiệm vụ trọng tâm với 56 nhiệm vụ cụ thể trong năm 2026 "
                "gồm: Hoàn thiện thể chế phát triển; Đổi mới mô hình tăng trưởng, cơ cấu lại nền "
                "kinh tế; Phát triển khoa học-công nghệ, đổi mới sáng tạo, chuyển đổi số; Phát "
                "triển văn hóa, con người Hải Phòng; Phát triển giáo dục và đào tạo; Phát triển "
                "kết cấu hạ tầng đồng bộ, liên kết vùng; Quản lý phát triển xã hội bền vững; Tăng"
                " cường quy hoạch, đô thị hóa; Tài chính, đầu tư công trung hạn."
            ),
            (
                "Tuyên truyền việc triển khai thực hiện Chương trình hành động ở các cấp, các "
                "ngành; biểu dương kịp thời các nhân tố mới, điển hình tiên tiến, đồng thời phê "
                "phán các biểu hiện chưa tích cực, thiếu trách nhiệm, chậm trễ trong thực hiện."
            ),
            (
                "Chủ động định hướng dư luận xã hội, nâng cao sức đề kháng của cán bộ, đảng viên "
                "và Nhân dân trên địa bàn phường trước những thông tin sai lệch, luận điệu xuyên "
                "tạc của các thế lực thù địch và phần tử cơ hội chính trị về đường lối, chủ "
                "trương phát triển kinh tế của Đảng, thành phố và phường."
            ),
        ],
    ),
    (
        (
            "Tuyên truyền Chương trình hành động số 21-CTr/TU, ngày 02/5/2026 của Ban Thường vụ "
            "Thành ủy thực hiện Nghị quyết số 41-NQ/TW ngày 10/10/2023 của Bộ Chính trị về xây "
            "dựng và phát huy vai trò của đội ngũ doanh nhân Việt Nam trong thời kỳ mới"
        ),
        [
            (
                "Tuyên truyền vị trí, vai trò và những đóng góp quan trọng của đội ngũ doanh nhân"
                " đối với sự phát triển kinh tế - xã hội của thành phố và đất nước. Mục tiêu phát"
                " triển đội ngũ doanh nhân thành phố lớn mạnh về số lượng, chất lượng, cơ cấu hợp"
                " lý, có tầm nhìn, trí tuệ, đạo đức, tinh thần kinh doanh, làm giàu chính đáng, "
                "năng động, sáng tạo, năng lực quản trị tiên tiến, tuân thủ pháp luật, có đạo "
                "đức, văn hóa kinh doanh mang bản sắc dân tộc; có trách nhiệm xã hội, ý thức bảo "
                "vệ môi trường."
            ),
            (
                "Tuyên truyền việc hoàn thiện chính sách, pháp luật, tạo môi trường đầu tư, kinh "
                "doanh thuận lợi, an toàn, bình đẳng. Các chính sách về phát triển kinh tế tư "
                "nhân, kinh tế số, xã hội số, kinh tế xanh, kinh tế tuần hoàn, kinh tế chia sẻ và"
                " các mô hình sản xuất, kinh doanh mới."
            ),
            (
                "Tuyên truyền các biện pháp phát triển đội ngũ doanh nhân lớn mạnh: đào tạo, bồi "
                "dưỡng doanh nhân, ưu tiên các nội dung về chuyển đổi số, chuyển đổi xanh, quản "
                "trị doanh nghiệp thông minh, hiện đại, xu hướng kinh doanh mới, các hiệp định "
                "thương mại tự do (FTA) và cam kết quốc tế. Hỗ trợ doanh nghiệp tìm kiếm cơ hội "
                "mở rộng thị trường nước ngoài; khuyến khích doanh nhân người Hải Phòng ở nước "
                "ngoài tăng cường liên kết với cộng đồng doanh nghiệp thành phố. Các doanh nhân "
                "thành đạt tham gia đào tạo, truyền cảm hứng, chia sẻ kinh nghiệm."
            ),
            (
                "Đẩy mạnh tuyên truyền nâng cao nhận thức cho đội ngũ doanh nhân thực hiện văn "
                "hóa doanh nghiệp, đạo đức doanh nhân; tinh thần đổi mới sáng tạo, chuyển đổi số,"
                " chuyển đổi xanh; có trách nhiệm xã hội, trách nhiệm với người lao động và cộng "
                'đồng; ý thức bảo vệ môi trường; thượng tôn pháp luật; phát huy truyền thống "Đất'
                ' Cảng anh hùng - Xứ Đông văn hiến".'
            ),
            (
                "Biểu dương, tôn vinh các doanh nhân, doanh nghiệp tiêu biểu; các mô hình sản "
                "xuất, kinh doanh hiệu quả; các doanh nghiệp có nhiều đóng góp trong phát triển "
                "kinh tế, bảo đảm an sinh xã hội và tham gia các hoạt động vì cộng đồng."
            ),
        ],
    ),
]
CHANNELS = [
    (
        "Tuyên truyền trên các phương tiện thông tin đại chúng và nền tảng số",
        (
            "cổng thông tin điện tử của phường, các nền tảng mạng xã hội của các cơ quan, đơn vị "
            "thuộc phường; hệ thống truyền thanh cơ sở; bản tin nội bộ, tài liệu, ấn phẩm tuyên "
            "truyền, bảo đảm nội dung phong phú, dễ hiểu, phù hợp từng đối tượng."
        ),
    ),
    (
        "Lồng ghép tuyên truyền miệng và sinh hoạt chính trị",
        (
            "thông qua hội nghị báo cáo viên, tuyên truyền viên; sinh hoạt chi bộ, sinh hoạt "
            "chuyên đề, hội nghị báo cáo viên và hoạt động của Ủy ban Mặt trận Tổ quốc, các tổ "
            "chức chính trị - xã hội phường, góp phần nâng cao nhận thức, tạo sự thống nhất trong"
            " toàn hệ thống chính trị."
        ),
    ),
    (
        "Tổ chức các hoạt động văn hóa, văn nghệ, thể thao trong quần chúng",
        (
            "gắn tuyên truyền với các hoạt động hưởng ứng, tạo không khí sôi nổi, thu hút sự tham"
            " gia của Nhân dân."
        ),
    ),
]
ASSIGNMENTS = [
    (
        "Ủy ban nhân dân phường",
        [
            (
                "Lãnh đạo, chỉ đạo các phòng, ban chuyên môn, các đơn vị có liên quan tổ chức "
                "triển khai hiệu quả công tác tuyên truyền gắn với thực hiện nhiệm vụ phát triển "
                "kinh tế - xã hội, chỉnh trang đô thị, cải cách hành chính và chuyển đổi số tại "
                "phường."
            ),
            (
                "Chỉ đạo tăng cường tuyên truyền trên hệ thống truyền thanh cơ sở, bảng tin công "
                "cộng, pa nô, áp phích, khẩu hiệu trực quan; đa dạng hóa các hình thức tuyên "
                "truyền phù hợp với từng đối tượng và tình hình thực tế."
            ),
            (
                "Tập trung tuyên truyền các chủ trương, chính sách về phát triển kinh tế - xã "
                "hội, chuyển đổi số, cải thiện môi trường đầu tư, phát triển sản xuất, kinh "
                "doanh; các chính sách bảo đảm an sinh xã hội, chăm lo đời sống Nhân dân và người"
                " lao động."
            ),
            (
                "Chỉ đạo lồng ghép nội dung tuyên truyền vào các phong trào thi đua yêu nước, các"
                " cuộc vận động, hội nghị, hoạt động văn hóa, văn nghệ, thể thao và các nhiệm vụ "
                "chính trị của địa phương."
            ),
            (
                "Phối hợp với Ban Xây dựng đảng Đảng ủy trong việc nắm bắt tình hình dư luận xã "
                "hội, kịp thời xử lý những vấn đề phát sinh; biểu dương các điển hình tiên tiến, "
                "nhân tố mới trong thực hiện nhiệm vụ phát triển kinh tế - xã hội tại phường."
            ),
        ],
    ),
    (
        "Ban Xây dựng đảng Đảng ủy",
        [
            (
                "Chủ trì, tham mưu giúp Ban Thường vụ Đảng ủy triển khai, hướng dẫn, đôn đốc thực"
                " hiện công tác tuyên truyền theo Kế hoạch này."
            ),
            (
                "Tăng cường theo dõi, nắm bắt tình hình tư tưởng, dư luận xã hội trong cán bộ, "
                "đảng viên và Nhân dân; chủ động tham mưu định hướng thông tin, đấu tranh phản "
                "bác các quan điểm sai trái, thông tin xấu độc, xuyên tạc chủ trương, đường lối "
                "của Đảng, chính sách, pháp luật của Nhà nước."
            ),
            (
                "Phối hợp đẩy mạnh tuyên truyền trên hệ thống truyền thanh cơ sở, công thông tin "
                "điện tử của phường, các nền tảng số và mạng xã hội do các cơ quan, đơn vị thuộc "
                "phường quản lý; chú trọng xây dựng, lan toả các tin, bài, infographic, video "
                "clip tuyên truyền ngắn gọn, trực quan, dễ tiếp cận."
            ),
            (
                "Chủ động phát hiện, tuyên truyền, biểu dương các mô hình hay, cách làm sáng tạo,"
                " hiệu quả; các tập thể, cá nhân tiêu biểu trong triển khai thực hiện Chỉ thị số "
                "58-CT/TW và các Chương trình hành động của Ban Thường vụ Thành ủy."
            ),
            (
                "Theo dõi, tổng hợp kết quả triển khai thực hiện; định kỳ tham mưu báo cáo Ban "
                "Thường vụ Đảng ủy và cấp trên theo quy định."
            ),
        ],
    ),
    (
        "Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội phường",
        [
            (
                "Đẩy mạnh tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tích cực hưởng "
                "ứng, thực hiện hiệu quả Chỉ thị số 58-CT/TW và các Chương trình hành động của "
                "Ban Thường vụ Thành ủy; góp phần tạo sự đồng thuận xã hội và phát huy sức mạnh "
                "khối đại đoàn kết toàn dân."
            ),
            (
                "Tăng cường tuyên truyền thông qua các buổi sinh hoạt chi hội, các cuộc họp, hoạt"
                " động văn hóa, văn nghệ, thể thao; chú trọng đổi mới nội dung, phương thức tuyên"
                " truyền phù hợp với từng đối tượng đoàn viên, hội viên và Nhân dân."
            ),
            (
                "Tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tích cực tham gia các "
                "phong trào thi đua yêu nước, phát triển kinh tế, xây dựng đời sống văn hóa, đô "
                "thị văn minh, bảo vệ môi trường và chuyển đổi số cộng đồng."
            ),
            (
                "Phát huy vai trò giám sát, phản biện xã hội; chủ động nắm bắt tâm tư, nguyện "
                "vọng, dư luận xã hội trong đoàn viên, hội viên và Nhân dân; kịp thời phản ánh "
                "với cấp ủy, chính quyền những vấn đề phát sinh ở cơ sở."
            ),
            (
                "Chú trọng phát hiện, giới thiệu, biểu dương các mô hình hay, cách làm hiệu quả, "
                "gương điển hình tiên tiến trong lao động sản xuất, phát triển kinh tế, xây dựng "
                "đời sống văn hóa và tham gia các hoạt động an sinh xã hội."
            ),
        ],
    ),
    (
        "Các cấp ủy, tổ chức đảng trực thuộc Đảng ủy",
        [
            (
                "Căn cứ nội dung Kế hoạch này và tình hình thực tiễn của cơ quan, đơn vị để xây "
                "dựng kế hoạch tổ chức tuyên truyền phù hợp, bảo đảm thiết thực, hiệu quả."
            ),
            (
                "Tổ chức quán triệt, tuyên truyền sâu rộng đến toàn thể cán bộ, đảng viên, đoàn "
                "viên, hội viên và Nhân dân bằng nhiều hình thức phù hợp; đưa nội dung tuyên "
                "truyền vào sinh hoạt chi bộ, sinh hoạt chuyên đề và các hội nghị của cơ quan, "
                "đơn vị."
            ),
            (
                "Gắn công tác tuyên truyền với thực hiện nhiệm vụ chính trị, các phong trào thi "
                "đua yêu nước và nhiệm vụ phát triển kinh tế - xã hội tại đơn vị."
            ),
            (
                "Chủ động nắm bắt tình hình tư tưởng, dư luận xã hội; kịp thời định hướng thông "
                "tin, đấu tranh phản bác các quan điểm sai trái, thông tin xấu độc; không để phát"
                " sinh điểm nóng, vụ việc phức tạp ở cơ sở."
            ),
            (
                "Quan tâm phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến, mô hình sáng "
                "tạo, hiệu quả; đồng thời phê phán các biểu hiện thiếu trách nhiệm, trì trệ, né "
                "tránh trong thực hiện nhiệm vụ."
            ),
            (
                "Định kỳ báo cáo kết quả triển khai thực hiện về Ban Xây dựng đảng Đảng ủy để "
                "tổng hợp, báo cáo Ban Thường vụ Đảng ủy theo quy định."
            ),
        ],
    ),
]
CLOSING = (
    "Trên đây là Kế hoạch tuyên truyền thực hiện Chỉ thị số 58-CT/TW của Ban Bí thư và các Chương"
    " trình hành động của Ban Thường vụ Thành ủy của Ban Thường vụ Đảng ủy, đề nghị các cấp ủy, "
    "cơ quan, đơn vị triển khai thực hiện."
)

CHANNEL_KINDS = [
    ["portal", "social", "loudspeaker", "newsletter"],
    ["meeting", "oral"],
    ["culture_event"],
]
RECIPIENTS = [
    ("Ban Tuyên giáo và Dân vận TU", "để báo cáo"),
    ("Thường trực Đảng ủy phường", ""),
    ("HĐND, UBND phường", ""),
    ("Các đồng chí Ủy viên BCH Đảng bộ phường", ""),
    ("Các cơ quan tham mưu giúp việc ĐU phường", ""),
    ("Ủy ban MTTQVN và các tổ chức CT-XH phường", ""),
    ("Trung tâm Chính trị phường", ""),
    ("Các đảng bộ, chi bộ cơ sở, trực thuộc ĐU phường", ""),
    ("Lưu VPĐU", ""),
]
SIGNER = "Nguyễn Thị Minh Ngọc"
SECTIONS = [
    ("MỤC ĐÍCH, YÊU CẦU", "purposes_requirements"),
    ("NỘI DUNG TUYÊN TRUYỀN", "content"),
    ("HÌNH THỨC TUYÊN TRUYỀN", "forms"),
    ("TỔ CHỨC THỰC HIỆN", "organisation"),
]


def fixture_plan(**changes: object) -> ParsedPlan:
    """The plan of ../shared/fixtures/ke-hoach-tuyen-truyen-ct58.txt, with the header it lacks."""
    plan = ParsedPlan(
        kind="KH",
        family="party",
        number="12-KH/ĐU",
        superior="ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        issuer="ĐẢNG ỦY PHƯỜNG LÊ CHÂN",
        place="Lê Chân",
        date=date(2026, 5, 20),
        title=TITLE,
        basis=list(BASIS),
        citations=[
            Citation(
                "806-CV/BTGDVTU", "CV", "Ban Tuyên giáo và Dân vận Thành ủy", date(2026, 5, 15), ""
            ),
            Citation("58-CT/TW", "CT", "Ban Bí thư", date(2026, 1, 10), ""),
            Citation("20-CTr/TU", "CTr", "Ban Thường vụ Thành ủy", date(2026, 4, 24), ""),
            Citation("21-CTr/TU", "CTr", "Ban Thường vụ Thành ủy", date(2026, 5, 2), ""),
        ],
        sections=[Section(heading, role) for heading, role in SECTIONS],
        purposes=list(PURPOSES),
        requirements=list(REQUIREMENTS),
        topics=[
            Topic(title, list(points), [citation])
            for (title, points), citation in zip(
                TOPICS, ["58-CT/TW", "20-CTr/TU", "21-CTr/TU"], strict=True
            )
        ],
        channels=[
            Channel(name, details, kinds)
            for (name, details), kinds in zip(CHANNELS, CHANNEL_KINDS, strict=True)
        ],
        assignments=[
            Assignment(unit, "lead", [Duty(text) for text in duties])
            for unit, duties in ASSIGNMENTS
        ],
        closing=CLOSING,
        recipients=[Recipient(name, note) for name, note in RECIPIENTS],
        signature=Signature("T/M BAN THƯỜNG VỤ", "", "PHÓ BÍ THƯ", SIGNER),
    )
    for key, value in changes.items():
        setattr(plan, key, value)
    return plan


def state_plan(**changes: object) -> ParsedPlan:
    """The same plan issued by a People's Committee, to exercise the state format."""
    plan = fixture_plan(
        family="state",
        number="5/KH-UBND",
        superior="ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        issuer="ỦY BAN NHÂN DÂN PHƯỜNG LÊ CHÂN",
        date=date(2026, 2, 3),
        recipients=[
            Recipient("Ủy ban nhân dân thành phố", "để báo cáo"),
            Recipient("Thường trực Đảng ủy phường", ""),
            Recipient("Các phòng, ban chuyên môn phường", ""),
            Recipient("Lưu VT, VHXH", ""),
        ],
        signature=Signature("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Nam"),
    )
    for key, value in changes.items():
        setattr(plan, key, value)
    return plan
